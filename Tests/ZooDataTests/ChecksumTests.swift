import Foundation
import Testing
import ZooData

@Suite("MD5 and SHA-256 against published test vectors")
struct ChecksumTests {
    /// RFC 1321, appendix A.5.
    @Test(arguments: [
        ("", "d41d8cd98f00b204e9800998ecf8427e"),
        ("a", "0cc175b9c0f1b6a831c399e269772661"),
        ("abc", "900150983cd24fb0d6963f7d28e17f72"),
        ("message digest", "f96b697d7cb7938d525a2f31aaf161d0"),
        ("abcdefghijklmnopqrstuvwxyz", "c3fcd3d76192e4007dfb496cca67e13b"),
        (String(repeating: "1234567890", count: 8), "57edf4a22be3c955ac49da2e2107b67a"),
    ])
    func md5(text: String, digest: String) {
        #expect(MD5.hexDigest(Array(text.utf8)) == digest)
    }

    /// FIPS 180-4 examples (NIST CSRC).
    @Test(arguments: [
        ("", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
        ("abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
        ("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
         "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"),
        (String(repeating: "a", count: 1_000_000),
         "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0"),
    ])
    func sha256(text: String, digest: String) {
        #expect(SHA256.hexDigest(Array(text.utf8)) == digest)
    }

    /// Lengths around the 64-byte block and the 56-byte padding boundary; digests from Python's hashlib of
    /// bytes `i % 251`.
    @Test(arguments: [
        (55, "6912ee65fff2d9f9ce2508cddf8bcda0", "463eb28e72f82e0a96c0a4cc53690c571281131f672aa229e0d45ae59b598b59"),
        (56, "51fdd1acda72405dfdfa03fcb85896d7", "da2ae4d6b36748f2a318f23e7ab1dfdf45acdc9d049bd80e59de82a60895f562"),
        (63, "48a6295221902e8e0938f773a7185e72", "29af2686fd53374a36b0846694cc342177e428d1647515f078784d69cdb9e488"),
        (64, "b2d3f56bc197fd985d5965079b5e7148", "fdeab9acf3710362bd2658cdc9a29e8f9c757fcf9811603a8c447cd1d9151108"),
        (65, "8bd7053801c768420faf816fadba971c", "4bfd2c8b6f1eec7a2afeb48b934ee4b2694182027e6d0fc075074f2fabb31781"),
        (119, "1c772251899a7ff007400b888d6b2042", "da18797ed7c3a777f0847f429724a2d8cd5138e6ed2895c3fa1a6d39d18f7ec6"),
        (120, "b7ba1efc6022e9ed272f00b8831e26e6", "f52b23db1fbb6ded89ef42a23ce0c8922c45f25c50b568a93bf1c075420bbb7c"),
    ])
    func blockBoundaries(length: Int, md5: String, sha256: String) {
        let bytes = (0..<length).map { UInt8($0 % 251) }
        #expect(MD5.hexDigest(bytes) == md5)
        #expect(SHA256.hexDigest(bytes) == sha256)
    }

    @Test func verifyUsesSHA256WhenKnownAndMD5Otherwise() throws {
        let bytes = Array("zoo".utf8)
        let withSHA = DatasetFile(fileName: "f.gz", sha256: SHA256.hexDigest(bytes), md5: "not used")
        #expect(try withSHA.verify(bytes, path: "f.gz") == .sha256)
        let md5Only = DatasetFile(fileName: "f.gz", sha256: nil, md5: MD5.hexDigest(bytes))
        #expect(try md5Only.verify(bytes, path: "f.gz") == .md5)
        #expect(throws: DatasetError.self) { try md5Only.verify(Array("zoo!".utf8), path: "f.gz") }
        let error = #expect(throws: DatasetError.self) { try withSHA.verify([], path: "/x/f.gz") }
        #expect(error?.description.contains("/x/f.gz") == true)
        #expect(error?.description.contains("SHA-256") == true)
    }

    @Test("the real MNIST files match the registry's checksums, both of them")
    func realMNISTFiles() throws {
        let root = try #require(ProcessInfo.processInfo.environment["ZOO_DATA"],
                                "set ZOO_DATA to the folder holding mnist/ (e.g. ../shared/datasets)")
        for role in DatasetFileRole.allCases {
            let file = DatasetRegistry.mnist.file(role)
            let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: "\(root)/mnist/\(file.fileName)")))
            #expect(SHA256.hexDigest(bytes) == file.sha256)
            #expect(MD5.hexDigest(bytes) == file.md5)
        }
    }
}
