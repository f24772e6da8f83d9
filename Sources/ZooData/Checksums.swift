// The checksums a dataset's files are verified with, in one place: which one a file uses (SHA-256 when the
// publisher lists one, MD5 otherwise), and both digests, written out so ZooData needs no crypto library.

/// The checksum a file was verified with.
public enum ChecksumKind: String, Sendable {
    case sha256 = "SHA-256"
    case md5 = "MD5"
}

extension DatasetFile {
    /// Checks `bytes` (the gzip file's contents) against this file's SHA-256, or its MD5 when no SHA-256 is
    /// known. Returns which checksum was used; throws `DatasetError.checksumMismatch` naming `path` otherwise.
    @discardableResult
    public func verify(_ bytes: [UInt8], path: String) throws -> ChecksumKind {
        let (kind, expected, actual) = if let sha256 {
            (ChecksumKind.sha256, sha256, SHA256.hexDigest(bytes))
        } else {
            (ChecksumKind.md5, md5, MD5.hexDigest(bytes))
        }
        guard actual == expected.lowercased() else {
            throw DatasetError.checksumMismatch(file: path, expected: "\(kind.rawValue) \(expected)",
                                                actual: "\(kind.rawValue) \(actual)")
        }
        return kind
    }
}

/// SHA-256 (FIPS 180-4) of a byte buffer: the registry's preferred checksum for dataset files.
public enum SHA256 {
    /// The 32-byte digest of `bytes` as 64 lowercase hex digits.
    public static func hexDigest(_ bytes: some Collection<UInt8>) -> String {
        hex(digest(bytes))
    }

    /// The 32-byte digest of `bytes`.
    public static func digest(_ bytes: some Collection<UInt8>) -> [UInt8] {
        var state: [UInt32] = [
            0x6a09_e667, 0xbb67_ae85, 0x3c6e_f372, 0xa54f_f53a, 0x510e_527f, 0x9b05_688c, 0x1f83_d9ab, 0x5be0_cd19,
        ]
        var message = Array(bytes)
        let bitLength = UInt64(message.count) &* 8
        message.append(0x80)
        while message.count % 64 != 56 { message.append(0) }
        for shift in stride(from: 56, through: 0, by: -8) {
            message.append(UInt8(truncatingIfNeeded: bitLength >> UInt64(shift)))
        }

        var schedule = [UInt32](repeating: 0, count: 64)
        message.withUnsafeBufferPointer { buffer in
            for blockStart in stride(from: 0, to: buffer.count, by: 64) {
                for i in 0..<16 {
                    let base = blockStart + 4 * i
                    schedule[i] = UInt32(buffer[base]) << 24 | UInt32(buffer[base + 1]) << 16
                        | UInt32(buffer[base + 2]) << 8 | UInt32(buffer[base + 3])
                }
                for i in 16..<64 {
                    let s0 = rotateRight(schedule[i - 15], 7) ^ rotateRight(schedule[i - 15], 18)
                        ^ (schedule[i - 15] >> 3)
                    let s1 = rotateRight(schedule[i - 2], 17) ^ rotateRight(schedule[i - 2], 19)
                        ^ (schedule[i - 2] >> 10)
                    schedule[i] = schedule[i - 16] &+ s0 &+ schedule[i - 7] &+ s1
                }
                var (a, b, c, d) = (state[0], state[1], state[2], state[3])
                var (e, f, g, h) = (state[4], state[5], state[6], state[7])
                for i in 0..<64 {
                    let sum1 = rotateRight(e, 6) ^ rotateRight(e, 11) ^ rotateRight(e, 25)
                    let choice = (e & f) ^ (~e & g)
                    let temp1 = h &+ sum1 &+ choice &+ roundConstants[i] &+ schedule[i]
                    let sum0 = rotateRight(a, 2) ^ rotateRight(a, 13) ^ rotateRight(a, 22)
                    let majority = (a & b) ^ (a & c) ^ (b & c)
                    let temp2 = sum0 &+ majority
                    h = g
                    g = f
                    f = e
                    e = d &+ temp1
                    d = c
                    c = b
                    b = a
                    a = temp1 &+ temp2
                }
                for (i, value) in [a, b, c, d, e, f, g, h].enumerated() { state[i] = state[i] &+ value }
            }
        }
        return state.flatMap { word in (0..<4).map { UInt8(truncatingIfNeeded: word >> (24 - 8 * $0)) } }
    }

    /// The first 32 bits of the fractional parts of the cube roots of the first 64 primes.
    private static let roundConstants: [UInt32] = [
        0x428a_2f98, 0x7137_4491, 0xb5c0_fbcf, 0xe9b5_dba5, 0x3956_c25b, 0x59f1_11f1, 0x923f_82a4, 0xab1c_5ed5,
        0xd807_aa98, 0x1283_5b01, 0x2431_85be, 0x550c_7dc3, 0x72be_5d74, 0x80de_b1fe, 0x9bdc_06a7, 0xc19b_f174,
        0xe49b_69c1, 0xefbe_4786, 0x0fc1_9dc6, 0x240c_a1cc, 0x2de9_2c6f, 0x4a74_84aa, 0x5cb0_a9dc, 0x76f9_88da,
        0x983e_5152, 0xa831_c66d, 0xb003_27c8, 0xbf59_7fc7, 0xc6e0_0bf3, 0xd5a7_9147, 0x06ca_6351, 0x1429_2967,
        0x27b7_0a85, 0x2e1b_2138, 0x4d2c_6dfc, 0x5338_0d13, 0x650a_7354, 0x766a_0abb, 0x81c2_c92e, 0x9272_2c85,
        0xa2bf_e8a1, 0xa81a_664b, 0xc24b_8b70, 0xc76c_51a3, 0xd192_e819, 0xd699_0624, 0xf40e_3585, 0x106a_a070,
        0x19a4_c116, 0x1e37_6c08, 0x2748_774c, 0x34b0_bcb5, 0x391c_0cb3, 0x4ed8_aa4a, 0x5b9c_ca4f, 0x682e_6ff3,
        0x748f_82ee, 0x78a5_636f, 0x84c8_7814, 0x8cc7_0208, 0x90be_fffa, 0xa450_6ceb, 0xbef9_a3f7, 0xc671_78f2,
    ]
}

/// MD5 (RFC 1321) of a byte buffer: the checksum most dataset publishers list (MNIST's, Fashion-MNIST's).
/// Not a security measure, only a check that a file is the published one; SHA-256 is preferred when known.
public enum MD5 {
    /// The 16-byte digest of `bytes` as 32 lowercase hex digits.
    public static func hexDigest(_ bytes: some Collection<UInt8>) -> String {
        hex(digest(bytes))
    }

    /// The 16-byte digest of `bytes`.
    public static func digest(_ bytes: some Collection<UInt8>) -> [UInt8] {
        var state: (UInt32, UInt32, UInt32, UInt32) = (0x6745_2301, 0xefcd_ab89, 0x98ba_dcfe, 0x1032_5476)
        var message = Array(bytes)
        let bitLength = UInt64(message.count) &* 8
        message.append(0x80)
        while message.count % 64 != 56 { message.append(0) }
        for shift in stride(from: 0, to: 64, by: 8) { message.append(UInt8(truncatingIfNeeded: bitLength >> shift)) }

        message.withUnsafeBufferPointer { buffer in
            var words = [UInt32](repeating: 0, count: 16)
            for blockStart in stride(from: 0, to: buffer.count, by: 64) {
                for i in 0..<16 {
                    let base = blockStart + 4 * i
                    words[i] = UInt32(buffer[base]) | UInt32(buffer[base + 1]) << 8
                        | UInt32(buffer[base + 2]) << 16 | UInt32(buffer[base + 3]) << 24
                }
                var (a, b, c, d) = state
                for i in 0..<64 {
                    var f: UInt32
                    let g: Int
                    switch i {
                    case 0..<16: f = (b & c) | (~b & d); g = i
                    case 16..<32: f = (d & b) | (~d & c); g = (5 * i + 1) % 16
                    case 32..<48: f = b ^ c ^ d; g = (3 * i + 5) % 16
                    default: f = c ^ (b | ~d); g = (7 * i) % 16
                    }
                    f = f &+ a &+ constants[i] &+ words[g]
                    a = d
                    d = c
                    c = b
                    b = b &+ rotateLeft(f, shifts[i])
                }
                state = (state.0 &+ a, state.1 &+ b, state.2 &+ c, state.3 &+ d)
            }
        }
        return [state.0, state.1, state.2, state.3].flatMap { word in
            (0..<4).map { UInt8(truncatingIfNeeded: word >> (8 * $0)) }
        }
    }

    private static let shifts: [UInt32] = [
        7, 12, 17, 22, 7, 12, 17, 22, 7, 12, 17, 22, 7, 12, 17, 22,
        5, 9, 14, 20, 5, 9, 14, 20, 5, 9, 14, 20, 5, 9, 14, 20,
        4, 11, 16, 23, 4, 11, 16, 23, 4, 11, 16, 23, 4, 11, 16, 23,
        6, 10, 15, 21, 6, 10, 15, 21, 6, 10, 15, 21, 6, 10, 15, 21,
    ]

    /// `floor(abs(sin(i + 1)) * 2^32)`, as RFC 1321 tabulates it.
    private static let constants: [UInt32] = [
        0xd76a_a478, 0xe8c7_b756, 0x2420_70db, 0xc1bd_ceee, 0xf57c_0faf, 0x4787_c62a, 0xa830_4613, 0xfd46_9501,
        0x6980_98d8, 0x8b44_f7af, 0xffff_5bb1, 0x895c_d7be, 0x6b90_1122, 0xfd98_7193, 0xa679_438e, 0x49b4_0821,
        0xf61e_2562, 0xc040_b340, 0x265e_5a51, 0xe9b6_c7aa, 0xd62f_105d, 0x0244_1453, 0xd8a1_e681, 0xe7d3_fbc8,
        0x21e1_cde6, 0xc337_07d6, 0xf4d5_0d87, 0x455a_14ed, 0xa9e3_e905, 0xfcef_a3f8, 0x676f_02d9, 0x8d2a_4c8a,
        0xfffa_3942, 0x8771_f681, 0x6d9d_6122, 0xfde5_380c, 0xa4be_ea44, 0x4bde_cfa9, 0xf6bb_4b60, 0xbebf_bc70,
        0x289b_7ec6, 0xeaa1_27fa, 0xd4ef_3085, 0x0488_1d05, 0xd9d4_d039, 0xe6db_99e5, 0x1fa2_7cf8, 0xc4ac_5665,
        0xf429_2244, 0x432a_ff97, 0xab94_23a7, 0xfc93_a039, 0x655b_59c3, 0x8f0c_cc92, 0xffef_f47d, 0x8584_5dd1,
        0x6fa8_7e4f, 0xfe2c_e6e0, 0xa301_4314, 0x4e08_11a1, 0xf753_7e82, 0xbd3a_f235, 0x2ad7_d2bb, 0xeb86_d391,
    ]
}

/// `value` rotated left by `count` bits.
@inline(__always)
func rotateLeft(_ value: UInt32, _ count: UInt32) -> UInt32 {
    (value << count) | (value >> (32 - count))
}

/// `value` rotated right by `count` bits.
@inline(__always)
func rotateRight(_ value: UInt32, _ count: UInt32) -> UInt32 {
    (value >> count) | (value << (32 - count))
}

/// Bytes as lowercase hex digits, two per byte.
func hex(_ bytes: [UInt8]) -> String {
    let digits = Array("0123456789abcdef")
    return String(bytes.flatMap { [digits[Int($0 >> 4)], digits[Int($0 & 0x0f)]] })
}
