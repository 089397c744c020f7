import Foundation
import OrderModel

/// The fuzzer's plain mode: runs saved inputs through a target and says what each did.
///
/// `OrderFuzz TARGET PATH...` replays files, or every file in folders; `OrderFuzz --all`
/// replays each target's committed seed corpus and crash reproducers. A crash stops the
/// process (as it would stop the engine): the file named last is the culprit.
enum Replay {
    static let usage = """
        usage: OrderFuzz TARGET PATH...   replay files (or every file in folders) through TARGET
               OrderFuzz --all            replay every target's seed corpus and crash reproducers
        targets: \(FuzzTarget.allCases.map(\.rawValue).joined(separator: ", "))
        The libFuzzer build (tools/fuzz.sh) takes the target from ORDERFLOW_FUZZ_TARGET instead.
        """

    static func main(_ arguments: [String]) -> Int32 {
        if arguments == ["--all"] {
            var count = 0
            for target in FuzzTarget.allCases {
                target.prepare()
                for folder in [target.seedFolder, target.crashFolder] {
                    for file in files(in: folder.path) {
                        replay(file, through: target, verbose: false)
                        count += 1
                    }
                }
            }
            print("replayed \(count) inputs through \(FuzzTarget.allCases.count) targets: no crash")
            return 0
        }
        guard let name = arguments.first, let target = FuzzTarget(rawValue: name), arguments.count > 1 else {
            FileHandle.standardError.write(Data((usage + "\n").utf8))
            return 2
        }
        target.prepare()
        for path in arguments.dropFirst() {
            for file in files(in: path) { replay(file, through: target, verbose: true) }
        }
        return 0
    }

    /// The file itself, or every regular file under a folder, sorted; a missing folder holds none.
    static func files(in path: String) -> [String] {
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) else { return [] }
        guard isFolder.boolValue else { return [path] }
        let names = (FileManager.default.subpaths(atPath: path) ?? []).sorted()
        return names.map { (path as NSString).appendingPathComponent($0) }.filter {
            var folder: ObjCBool = false
            return FileManager.default.fileExists(atPath: $0, isDirectory: &folder) && !folder.boolValue
                && !($0 as NSString).lastPathComponent.hasPrefix(".")
        }
    }

    static func replay(_ path: String, through target: FuzzTarget, verbose: Bool) {
        // Named before the run: after a crash, the last line printed names the input.
        if verbose { print("\(target.rawValue): \(path)") }
        FileHandle.standardOutput.synchronizeFile()
        guard let data = FileManager.default.contents(atPath: path) else {
            print("  cannot read \(path)")
            return
        }
        let outcomes = data.withUnsafeBytes { raw in target.run(raw.bindMemory(to: UInt8.self)) }
        if verbose {
            for outcome in outcomes { print("  " + CardNumberRedactor.redact(outcome).replacingOccurrences(of: "\n", with: "\n    ")) }
        }
    }
}
