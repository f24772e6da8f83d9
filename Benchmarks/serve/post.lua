-- wrk script: every request is POST /api/classify with the PNG named by $ZOO_BODY as its body.
local path = os.getenv("ZOO_BODY")
local file = assert(io.open(path, "rb"), "cannot open ZOO_BODY=" .. tostring(path))
wrk.method = "POST"
wrk.path = "/api/classify"
wrk.body = file:read("*a")
file:close()
wrk.headers["Content-Type"] = "image/png"
