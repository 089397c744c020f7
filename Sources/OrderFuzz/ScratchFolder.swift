import Foundation

/// A private folder for the files a target must hand over by path (XML is read from a file; the
/// loaders take a home or a URL), in memory when the machine has `/dev/shm`.
///
/// One per process (libFuzzer's fork mode runs several); removed at a normal exit. A crash exits
/// without cleaning up, so `tools/fuzz.sh` points `ORDERFLOW_FUZZ_SCRATCH` at a folder it removes.
enum ScratchFolder {
    static let url: URL = {
        let environment = ProcessInfo.processInfo.environment
        let base = environment["ORDERFLOW_FUZZ_SCRATCH"].flatMap { $0.isEmpty ? nil : $0 }
            ?? (FileManager.default.fileExists(atPath: "/dev/shm") ? "/dev/shm" : NSTemporaryDirectory())
        let url = URL(fileURLWithPath: base, isDirectory: true)
            .appendingPathComponent("orderflow-fuzz-\(getpid())", isDirectory: true)
        try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        atexit { try? FileManager.default.removeItem(at: ScratchFolder.url) }
        return url
    }()

    /// Writes `bytes` to `name` in the folder, replacing the last input; returns its path.
    static func write(_ bytes: UnsafeBufferPointer<UInt8>, name: String) -> String {
        let path = url.appendingPathComponent(name).path
        let data = bytes.baseAddress.map { Data(bytes: $0, count: bytes.count) } ?? Data()
        if !FileManager.default.createFile(atPath: path, contents: data) {
            FileHandle.standardError.write(Data("OrderFuzz: cannot write \(path)\n".utf8))
            exit(2)
        }
        return path
    }
}
