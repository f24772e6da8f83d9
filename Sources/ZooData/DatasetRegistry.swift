/// The four files of an MNIST-style dataset, by split and content: the registry's typed keys.
public enum DatasetFileRole: String, CaseIterable, Sendable {
    case trainImages, trainLabels, testImages, testLabels
}

/// One published file of a dataset and the checksums it must have.
public struct DatasetFile: Sendable, Equatable {
    /// File name as published (gzip'd IDX), e.g. "train-images-idx3-ubyte.gz".
    public let fileName: String
    /// Lowercase hex SHA-256 of the gzip file, or nil when no trustworthy value is known: then only MD5 is checked.
    public let sha256: String?
    /// Lowercase hex MD5 of the gzip file, as the dataset's publishers list it.
    public let md5: String

    /// A published file; pass `sha256: nil` when only the MD5 is trustworthy.
    public init(fileName: String, sha256: String?, md5: String) {
        self.fileName = fileName
        self.sha256 = sha256
        self.md5 = md5
    }

    /// The name of the same file after `gunzip`: the locator accepts either form.
    public var uncompressedFileName: String {
        fileName.hasSuffix(".gz") ? String(fileName.dropLast(3)) : fileName
    }
}

/// What the zoo knows about one dataset: its files with checksums, its classes and where it is published.
public struct DatasetDescriptor: Sendable {
    /// Registry name and folder name, e.g. "mnist", "fashion-mnist".
    public let name: String
    /// One line on what the dataset is and where it comes from.
    public let summary: String
    /// The four files, one per role.
    public let files: [DatasetFileRole: DatasetFile]
    /// Class names, in label order.
    public let classNames: [String]
    /// A base URL the files can be downloaded from (file name appended), used by `zoo data fetch` by default.
    public let mirror: String
    /// The shape every image of the dataset has (`[28, 28]` for the MNIST family), or nil to accept any shape
    /// (the two splits must still agree).
    public let imageShape: [Int]?

    /// A dataset description; `files` must name one file per `DatasetFileRole`.
    public init(name: String, summary: String, files: [DatasetFileRole: DatasetFile], classNames: [String],
                mirror: String, imageShape: [Int]? = nil) {
        precondition(Set(files.keys) == Set(DatasetFileRole.allCases),
                     "DatasetDescriptor \(name): needs one file per role, got \(files.keys)")
        self.name = name
        self.summary = summary
        self.files = files
        self.classNames = classNames
        self.mirror = mirror
        self.imageShape = imageShape
    }

    /// The file playing `role`.
    public func file(_ role: DatasetFileRole) -> DatasetFile { files[role]! }
}

/// The datasets `zoo` knows by name, and the one-call loader every module and test uses.
public enum DatasetRegistry {
    /// MNIST (LeCun, Cortes and Burges 1998): handwritten digits 0–9. SHA-256s computed from the official files.
    public static let mnist = DatasetDescriptor(
        name: "mnist",
        summary: "MNIST handwritten digits (LeCun, Cortes and Burges), 60,000 train and 10,000 test 28x28 images",
        files: [
            .trainImages: DatasetFile(
                fileName: "train-images-idx3-ubyte.gz",
                sha256: "440fcabf73cc546fa21475e81ea370265605f56be210a4024d2ca8f203523609",
                md5: "f68b3c2dcbeaaa9fbdd348bbdeb94873"),
            .trainLabels: DatasetFile(
                fileName: "train-labels-idx1-ubyte.gz",
                sha256: "3552534a0a558bbed6aed32b30c495cca23d567ec52cac8be1a0730e8010255c",
                md5: "d53e105ee54ea40749a09fcbcd1e9432"),
            .testImages: DatasetFile(
                fileName: "t10k-images-idx3-ubyte.gz",
                sha256: "8d422c7b0a1c1c79245a5bcf07fe86e33eeafee792b84584aec276f5a2dbc4e6",
                md5: "9fb629c4189551a2d022fa330f9573f3"),
            .testLabels: DatasetFile(
                fileName: "t10k-labels-idx1-ubyte.gz",
                sha256: "f7ae60f92e00ec6debd23a6088c31dbd2371eca3ffa0defaefb259924204aec6",
                md5: "ec29112dd5afa0611ce80d1b7f02629c"),
        ],
        classNames: (0...9).map(String.init),
        mirror: "https://ossci-datasets.s3.amazonaws.com/mnist/", imageShape: [28, 28])

    /// Fashion-MNIST (Xiao, Rasul and Vollgraf 2017): Zalando article images, MNIST's format. MD5s as Zalando
    /// publishes them; SHA-256s as torchvision and TensorFlow Datasets list them (not checked here: no copy).
    public static let fashionMNIST = DatasetDescriptor(
        name: "fashion-mnist",
        summary: "Fashion-MNIST (Xiao, Rasul and Vollgraf, Zalando), 60,000 train and 10,000 test 28x28 images",
        files: [
            .trainImages: DatasetFile(
                fileName: "train-images-idx3-ubyte.gz",
                sha256: "3aede38d61863908ad78613f6a32ed271626dd12800ba2636569512369268a84",
                md5: "8d4fb7e6c68d591d4c3dfef9ec88bf0d"),
            .trainLabels: DatasetFile(
                fileName: "train-labels-idx1-ubyte.gz",
                sha256: "a04f17134ac03560a47e3764e11b92fc97de4d1bfaf8ba1a3aa29af54cc90845",
                md5: "25c81989df183df01b3e8a0aad5dffbe"),
            .testImages: DatasetFile(
                fileName: "t10k-images-idx3-ubyte.gz",
                sha256: "346e55b948d973a97e58d2351dde16a484bd415d4595297633bb08f03db6a073",
                md5: "bef4ecab320f06d8554ea6380940ec79"),
            .testLabels: DatasetFile(
                fileName: "t10k-labels-idx1-ubyte.gz",
                sha256: "67da17c76eaffca5446c3361aaab5c3cd6d1c2608764d35dfb1850b086bf8dd5",
                md5: "bb300cfdad3c16e7a12a480ee83cd310"),
        ],
        classNames: ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
                     "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"],
        mirror: "http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/", imageShape: [28, 28])

    /// Kuzushiji-MNIST (Clanuwat et al. 2018): ten cursive Japanese hiragana, MNIST's format. MD5s as torchvision
    /// lists them; SHA-256s as TensorFlow Datasets lists them (not checked here: no copy).
    public static let kmnist = DatasetDescriptor(
        name: "kmnist",
        summary: "Kuzushiji-MNIST (Clanuwat et al., ROIS-DS CODH), 60,000 train and 10,000 test 28x28 images",
        files: [
            .trainImages: DatasetFile(
                fileName: "train-images-idx3-ubyte.gz",
                sha256: "51467d22d8cc72929e2a028a0428f2086b092bb31cfb79c69cc0a90ce135fde4",
                md5: "bdb82020997e1d708af4cf47b453dcf7"),
            .trainLabels: DatasetFile(
                fileName: "train-labels-idx1-ubyte.gz",
                sha256: "e38f9ebcd0f3ebcdec7fc8eabdcdaef93bb0df8ea12bee65224341c8183d8e17",
                md5: "e144d726b3acfaa3e44228e80efcd344"),
            .testImages: DatasetFile(
                fileName: "t10k-images-idx3-ubyte.gz",
                sha256: "edd7a857845ad6bb1d0ba43fe7e794d164fe2dce499a1694695a792adfac43c5",
                md5: "5c965bf0a639b31b8f53240b1b52f4d7"),
            .testLabels: DatasetFile(
                fileName: "t10k-labels-idx1-ubyte.gz",
                sha256: "20bb9a0ef54c7db3efc55a92eef5582c109615df22683c380526788f98e42a1c",
                md5: "7320c461ea6c1c855c0b718fb2a4b134"),
        ],
        classNames: ["o", "ki", "su", "tsu", "na", "ha", "ma", "ya", "re", "wo"],
        mirror: "http://codh.rois.ac.jp/kmnist/dataset/kmnist/", imageShape: [28, 28])

    /// Every registered dataset, in the order `--help` lists them.
    public static let all: [DatasetDescriptor] = [mnist, fashionMNIST, kmnist]

    /// Registered names: "mnist", "fashion-mnist", "kmnist".
    public static var names: [String] { all.map(\.name) }

    /// The descriptor called `name`; throws `DatasetError.unknownDataset` listing the known names otherwise.
    public static func descriptor(named name: String) throws -> DatasetDescriptor {
        guard let found = all.first(where: { $0.name == name }) else {
            throw DatasetError.unknownDataset(name: name, known: names)
        }
        return found
    }

    /// Finds dataset `name` (see `DatasetLocator` for where it looks) and reads its train and test parts.
    /// `dataDirectory` is the user's `--data-dir`, searched first. The one call the CLI and the harness use.
    public static func load(_ name: String, dataDirectory: String? = nil) throws -> DatasetSplit {
        try load(name, locator: DatasetLocator(explicitDirectory: dataDirectory))
    }

    /// Finds dataset `name` with `locator` (tests inject one with a fixed environment) and reads it.
    public static func load(_ name: String, locator: DatasetLocator) throws -> DatasetSplit {
        let descriptor = try descriptor(named: name)
        return try load(descriptor, from: locator.locate(descriptor))
    }

    /// Reads dataset `descriptor` from `folder`, which holds its four files (gzip'd or not). Throws
    /// `DatasetError.wrongImageShape` when a split's images are not the descriptor's `imageShape`, or the test
    /// images are not the training images' shape.
    public static func load(_ descriptor: DatasetDescriptor, from folder: String) throws -> DatasetSplit {
        func path(_ role: DatasetFileRole) -> String {
            DatasetLocator.existingPath(of: descriptor.file(role), in: folder)
                ?? folder + "/" + descriptor.file(role).fileName
        }
        let train = try Dataset.load(name: "\(descriptor.name)/train", images: path(.trainImages),
                                     labels: path(.trainLabels), classNames: descriptor.classNames)
        let test = try Dataset.load(name: "\(descriptor.name)/test", images: path(.testImages),
                                    labels: path(.testLabels), classNames: descriptor.classNames)
        if let expected = descriptor.imageShape {
            for part in [train, test] {
                try part.requireImageShape(expected, expectedBy: "dataset '\(descriptor.name)'")
            }
        }
        return try DatasetSplit.checked(train: train, test: test)
    }
}
