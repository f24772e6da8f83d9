/// The page `GET /` serves: draw a digit (mouse, touch or pen; or the keyboard), and every model's answer
/// updates while you draw. One HTML file with its style and script inline, so it works offline.
///
/// What the page relies on from the API: `GET /api/models` for the card links, and `POST
/// /api/classify?input=true` with the canvas as a PNG, whose answer is `zoo classify --json`'s line plus
/// `input`, the 28x28 image the models saw.
enum ServePage {
    static let html = #"""
<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>zoo: draw a digit</title>
<style>
  :root { --ink: #1d2430; --muted: #5b6473; --agree: #2e7d4f; --differ: #c0612b; --line: #d5d9e0; }
  * { box-sizing: border-box; }
  body { margin: 0; font: 16px/1.4 system-ui, -apple-system, "Segoe UI", sans-serif; color: var(--ink);
         background: #f5f6f8; }
  header { padding: 12px 16px; background: #fff; border-bottom: 1px solid var(--line); }
  h1 { margin: 0; font-size: 1.25rem; }
  header p { margin: 2px 0 0; color: var(--muted); font-size: .9rem; }
  main { display: flex; flex-wrap: wrap; gap: 16px; padding: 16px; max-width: 980px; margin: 0 auto; }
  section { background: #fff; border: 1px solid var(--line); border-radius: 8px; padding: 12px; }
  #draw { flex: 1 1 320px; max-width: 440px; }
  #results { flex: 1 1 320px; }
  #pad { display: block; width: 100%; aspect-ratio: 1; touch-action: none; background: #fff; cursor: crosshair;
         border: 2px solid var(--line); border-radius: 6px; }
  #pad:focus-visible { outline: 3px solid #3b6fd8; outline-offset: 2px; }
  .controls { display: flex; flex-wrap: wrap; gap: 8px; margin-top: 10px; align-items: center; }
  button, .file { font: inherit; padding: 8px 14px; border-radius: 6px; border: 1px solid #9aa3b1; background: #fff;
                  color: var(--ink); cursor: pointer; min-height: 44px; }
  button:focus-visible, .file:focus-within { outline: 3px solid #3b6fd8; outline-offset: 2px; }
  .file input { position: absolute; opacity: 0; width: 1px; height: 1px; }
  .hint { color: var(--muted); font-size: .85rem; margin: 8px 0 0; }
  .top { display: flex; gap: 16px; align-items: center; }
  #seen { width: 112px; height: 112px; image-rendering: pixelated; background: #000; border-radius: 4px;
          flex: none; }
  #vote { font-size: 3.5rem; font-weight: 700; line-height: 1; }
  #voteNote, #status { color: var(--muted); font-size: .9rem; }
  #status.error { color: #b3261e; }
  ol { list-style: none; padding: 0; margin: 14px 0 0; }
  li.bar { display: grid; grid-template-columns: 7.5em 1.5em 1fr 4em; gap: 8px; align-items: center;
           padding: 5px 0; border-top: 1px solid #eef0f3; }
  li.bar a { color: var(--ink); }
  .digit { font-weight: 700; text-align: center; }
  .track { height: 14px; background: #eef0f3; border-radius: 7px; overflow: hidden; }
  .fill { height: 100%; background: var(--agree); border-radius: 7px; transition: width .15s; }
  li.differs .fill { background: var(--differ); }
  .percent { text-align: right; font-variant-numeric: tabular-nums; }
  .sr { position: absolute; left: -9999px; }
  @media (max-width: 560px) {
    header { padding: 6px 12px; }
    h1 { font-size: 1.1rem; }
    section { padding: 8px; }
    header p, .hint, #status:not(.error) { display: none; }
    main { padding: 8px; gap: 8px; }
    #draw { max-width: none; }
    #pad { width: min(100%, 42vh); margin: 0 auto; }
    .controls { justify-content: center; margin-top: 6px; }
    #seen { width: 72px; height: 72px; }
    #vote { font-size: 2.5rem; }
    ol { margin-top: 8px; }
    li.bar { grid-template-columns: 6.5em 1.2em 1fr 3.6em; font-size: .95rem; padding: 3px 0; }
  }
</style>
</head>
<body>
<header>
  <h1>zoo: draw a digit</h1>
  <p>Six families read the same drawing: a tree of rules, knobs per pixel, stacked layers, Inception.</p>
</header>
<main>
  <section id="draw" aria-labelledby="drawTitle">
    <h2 id="drawTitle" class="sr">Drawing</h2>
    <canvas id="pad" width="280" height="280" tabindex="0" role="img"
            aria-label="Drawing pad. Draw with mouse, touch or pen; or with the keyboard: arrow keys move the pen, space lifts or lowers it."></canvas>
    <div class="controls">
      <button id="undo" type="button" title="Undo the last stroke (Ctrl+Z)">Undo</button>
      <button id="clear" type="button" title="Clear the drawing (Escape)">Clear</button>
      <label class="file">Classify a PNG&hellip;<input id="file" type="file" accept="image/png"></label>
    </div>
    <p class="hint">Keyboard: focus the pad, space lowers the pen, arrows draw, space lifts it. Ctrl+Z undoes,
      Escape clears.</p>
  </section>
  <section id="results" aria-labelledby="resultsTitle">
    <h2 id="resultsTitle" class="sr">What the models read</h2>
    <div class="top">
      <canvas id="seen" width="28" height="28" role="img" aria-label="The 28 by 28 image the models see"></canvas>
      <div>
        <div>Vote</div>
        <div id="vote" aria-live="polite">&ndash;</div>
        <div id="voteNote"></div>
      </div>
    </div>
    <p id="status" role="status">Draw a digit.</p>
    <ol id="bars" aria-label="Each model's digit and probability"></ol>
  </section>
</main>
<script>
"use strict";
const pad = document.getElementById("pad"), ctx = pad.getContext("2d");
const seen = document.getElementById("seen").getContext("2d");
const statusLine = document.getElementById("status");
const strokeWidth = pad.width / 14;
let strokes = [], current = null, baseImage = null, cards = {}, lastAnswer = null;
let timer = null, inFlight = false, again = false, generation = 0;

function paint() {
  ctx.fillStyle = "#fff";
  ctx.fillRect(0, 0, pad.width, pad.height);
  if (baseImage) {
    const scale = Math.min(pad.width / baseImage.width, pad.height / baseImage.height);
    const w = baseImage.width * scale, h = baseImage.height * scale;
    ctx.drawImage(baseImage, (pad.width - w) / 2, (pad.height - h) / 2, w, h);
  }
  ctx.strokeStyle = "#000"; ctx.fillStyle = "#000";
  ctx.lineWidth = strokeWidth; ctx.lineCap = "round"; ctx.lineJoin = "round";
  for (const stroke of strokes) {
    if (stroke.length === 1) {
      ctx.beginPath(); ctx.arc(stroke[0][0], stroke[0][1], strokeWidth / 2, 0, 2 * Math.PI); ctx.fill();
      continue;
    }
    ctx.beginPath(); ctx.moveTo(stroke[0][0], stroke[0][1]);
    for (const [x, y] of stroke.slice(1)) ctx.lineTo(x, y);
    ctx.stroke();
  }
  if (keyPen.active) {
    ctx.strokeStyle = keyPen.down ? "#3b6fd8" : "#9aa3b1"; ctx.lineWidth = 2;
    ctx.beginPath(); ctx.arc(keyPen.x, keyPen.y, strokeWidth / 2 + 3, 0, 2 * Math.PI); ctx.stroke();
  }
}

function point(event) {
  const box = pad.getBoundingClientRect();
  return [(event.clientX - box.left) * pad.width / box.width, (event.clientY - box.top) * pad.height / box.height];
}

pad.addEventListener("pointerdown", event => {
  if (event.button !== 0 && event.pointerType === "mouse") return;
  event.preventDefault();
  pad.setPointerCapture(event.pointerId);
  current = [point(event)];
  strokes.push(current);
  paint(); schedule();
});
pad.addEventListener("pointermove", event => {
  if (!current) return;
  event.preventDefault();
  const events = event.getCoalescedEvents ? event.getCoalescedEvents() : [event];
  for (const e of events.length ? events : [event]) current.push(point(e));
  paint(); schedule();
});
for (const type of ["pointerup", "pointercancel"]) {
  pad.addEventListener(type, () => { if (current) { current = null; classifyNow(); } });
}

// Drawing with the keyboard: a pen cursor that arrows move, space lowers and lifts.
const keyPen = { active: false, down: false, x: pad.width / 2, y: pad.height / 2 };
pad.addEventListener("focus", () => { keyPen.active = true; paint(); });
pad.addEventListener("blur", () => { keyPen.active = false; keyPen.down = false; paint(); });
pad.addEventListener("keydown", event => {
  const step = event.shiftKey ? 4 : 14;
  const moves = { ArrowLeft: [-step, 0], ArrowRight: [step, 0], ArrowUp: [0, -step], ArrowDown: [0, step] };
  if (event.key === " " || event.key === "Enter") {
    event.preventDefault();
    keyPen.down = !keyPen.down;
    if (keyPen.down) strokes.push([[keyPen.x, keyPen.y]]); else classifyNow();
    paint(); schedule();
  } else if (moves[event.key]) {
    event.preventDefault();
    const [dx, dy] = moves[event.key];
    keyPen.x = Math.min(pad.width, Math.max(0, keyPen.x + dx));
    keyPen.y = Math.min(pad.height, Math.max(0, keyPen.y + dy));
    if (keyPen.down) strokes[strokes.length - 1].push([keyPen.x, keyPen.y]);
    paint(); if (keyPen.down) schedule();
  }
});

function undo() { strokes.pop(); keyPen.down = false; paint(); strokes.length || baseImage ? classifyNow() : reset(); }
function clearAll() { strokes = []; baseImage = null; keyPen.down = false; paint(); reset(); }
document.getElementById("undo").addEventListener("click", undo);
document.getElementById("clear").addEventListener("click", clearAll);
document.addEventListener("keydown", event => {
  if ((event.ctrlKey || event.metaKey) && event.key.toLowerCase() === "z") { event.preventDefault(); undo(); }
  else if (event.key === "Escape") clearAll();
});

document.getElementById("file").addEventListener("change", async event => {
  const file = event.target.files[0];
  if (!file) return;
  strokes = [];
  const bytes = await file.arrayBuffer();
  const url = URL.createObjectURL(file);
  const image = new Image();
  image.onload = () => { baseImage = image; paint(); };
  image.onerror = () => { baseImage = null; paint(); };
  image.src = url;
  await request(new Blob([bytes], { type: "image/png" }), file.name);
  event.target.value = "";
});

function reset() {
  clearTimeout(timer);
  generation += 1;
  seen.fillStyle = "#000"; seen.fillRect(0, 0, 28, 28);
  document.getElementById("vote").textContent = "\u2013";
  document.getElementById("voteNote").textContent = "";
  document.getElementById("bars").replaceChildren();
  lastAnswer = null;
  show("Draw a digit.");
}

function schedule() { clearTimeout(timer); timer = setTimeout(classifyNow, 120); }

function classifyNow() {
  clearTimeout(timer);
  if (inFlight) { again = true; return; }
  if (!strokes.length && !baseImage) return;
  pad.toBlob(blob => request(blob, "drawing"), "image/png");
}

async function request(body, name) {
  inFlight = true;
  const asked = generation;
  try {
    const response = await fetch("/api/classify?input=true&name=" + encodeURIComponent(name),
                                 { method: "POST", headers: { "Content-Type": "image/png" }, body });
    const answer = await response.json();
    if (asked !== generation) return;  // cleared while the answer was on its way
    if (!response.ok) show(answer.error || response.statusText, true); else render(answer);
  } catch (error) {
    show("The server did not answer: " + error, true);
  } finally {
    inFlight = false;
    if (again) { again = false; classifyNow(); }
  }
}

function show(message, isError) {
  statusLine.textContent = message;
  statusLine.className = isError ? "error" : "";
}

function render(answer) {
  lastAnswer = answer;
  const pixels = seen.createImageData(28, 28);
  answer.input.forEach((value, i) => {
    pixels.data.set([value, value, value, 255], 4 * i);
  });
  seen.putImageData(pixels, 0, 0);
  const agreeing = answer.predictions.filter(p => p.digit === answer.vote).length;
  document.getElementById("vote").textContent = answer.vote;
  document.getElementById("voteNote").textContent = agreeing + " of " + answer.predictions.length + " models";
  show("Each model's digit and its probability; the vote is the digit most models read.");
  const rows = answer.predictions.map(p => {
    const row = document.createElement("li");
    row.className = "bar" + (p.digit === answer.vote ? "" : " differs");
    row.dataset.model = p.model; row.dataset.digit = p.digit;
    const name = document.createElement(cards[p.model] ? "a" : "span");
    name.textContent = p.model;
    if (cards[p.model]) { name.href = cards[p.model].card; name.title = cards[p.model].title; }
    const digit = document.createElement("span"); digit.className = "digit"; digit.textContent = p.digit;
    const track = document.createElement("div"); track.className = "track";
    track.setAttribute("role", "meter"); track.setAttribute("aria-valuemin", "0");
    track.setAttribute("aria-valuemax", "100");
    const percent = (100 * p.probability).toFixed(1);
    track.setAttribute("aria-valuenow", percent);
    track.setAttribute("aria-label", p.model + " reads " + p.digit + " with probability " + percent + "%");
    const fill = document.createElement("div"); fill.className = "fill"; fill.style.width = percent + "%";
    track.append(fill);
    const label = document.createElement("span"); label.className = "percent"; label.textContent = percent + "%";
    row.append(name, digit, track, label);
    return row;
  });
  document.getElementById("bars").replaceChildren(...rows);
}

fetch("/api/models").then(r => r.json()).then(list => {
  for (const m of list.models) {
    if (!m.card) continue;
    const accuracy = m.testAccuracy === null ? "" : ", " + (100 * m.testAccuracy).toFixed(2) + "% on the test set";
    cards[m.name] = { card: m.card, title: m.family + accuracy + ": open its model card" };
  }
  if (lastAnswer) render(lastAnswer);
}).catch(() => {});
paint(); reset();
</script>
</body>
</html>
"""#
}
