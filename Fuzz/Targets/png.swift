// libFuzzer target: the PNG reader (libpng's simplified API) and the digit preprocessing behind `zoo classify`,
// up to the model input tensor. Seeds: PNGs of every colour type the zoo writes, drawn here.
import ZooData

@_cdecl("LLVMFuzzerInitialize")
public func initialize(_ argc: UnsafeMutablePointer<CInt>, _ argv: Arguments) -> CInt {
    writeSeedsIfAsked { folder in
        let (width, height) = (20, 24)
        let digit = (0..<(width * height)).map { i -> UInt8 in
            let (x, y) = (i % width, i / width)
            return (x >= 6 && x <= 8 && y >= 3 && y <= 20) || (y >= 18 && y <= 20 && x >= 6 && x <= 15) ? 0 : 250
        }
        let layouts: [(String, PNGPixelLayout, [UInt8])] = [
            ("gray", .gray, digit),
            ("gray-alpha", .grayAlpha, digit.flatMap { [$0, $0 == 0 ? 255 : 40] }),
            ("rgb", .rgb, digit.flatMap { [$0, $0 / 2, 255 - $0] }),
            ("rgba", .rgba, digit.flatMap { [$0, $0, $0, 200] }),
            ("palette", .palette([0, 0, 0, 250, 250, 250]), digit.map { $0 == 0 ? 0 : 1 }),
        ]
        for (name, layout, values) in layouts {
            try PNG.write(values: values, width: width, height: height, layout: layout, to: folder + "/\(name).png")
        }
        try PNG.write(values16: digit.map { UInt16($0) * 257 }, width: width, height: height,
                      to: folder + "/gray16.png")
        try PNG.write(GrayImage(width: 1, height: 1, pixels: [0]), to: folder + "/one-pixel.png")
    }
    return 0
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzPNG(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    guard let image = try? PNG.decodeGray(bytes(data, size), source: "fuzz") else { return 0 }
    guard let digit = try? DigitPreprocessing.mnistDigit(image, source: "fuzz") else { return 0 }
    let input = DigitPreprocessing.inputTensor(digit)
    precondition(input.shape == [1, 784], "a digit became \(input.shape)")
    return 0
}
