import Foundation
import Testing
@testable import OrderInbox

/// The `/proc` scan that tells which inbox files a process still holds open for writing.
@Suite struct OpenForWritingTests {
    func file() throws -> (URL, OpenForWriting.FileID) {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("open-\(UUID().uuidString.prefix(8)).csv")
        try Data("a,b\n".utf8).write(to: url)
        var info = stat()
        #expect(stat(url.path, &info) == 0)
        return (url, OpenForWriting.FileID(device: UInt64(info.st_dev), inode: UInt64(info.st_ino)))
    }

    @Test func aFileOpenForWritingIsHeldAndOneOpenForReadingIsNot() throws {
        let (url, id) = try file()
        defer { try? FileManager.default.removeItem(at: url) }
        #expect(OpenForWriting().held(among: [id]).isEmpty)
        let reader = try FileHandle(forReadingFrom: url)
        #expect(OpenForWriting().held(among: [id]).isEmpty)
        let writer = try FileHandle(forWritingTo: url)
        #expect(OpenForWriting().held(among: [id]) == [id])
        try writer.close()
        #expect(OpenForWriting().held(among: [id]).isEmpty)
        let both = try FileHandle(forUpdating: url)
        #expect(OpenForWriting().held(among: [id]) == [id])
        try both.close()
        try reader.close()
    }

    @Test func aRenamedFileIsStillKnownByItsInode() throws {
        let (url, id) = try file()
        let moved = url.appendingPathExtension("moved")
        defer { try? FileManager.default.removeItem(at: moved) }
        let writer = try FileHandle(forWritingTo: url)
        try FileManager.default.moveItem(at: url, to: moved)
        #expect(OpenForWriting().held(among: [id]) == [id])
        try writer.close()
    }

    @Test func descriptorsAreReadFromTheirFlagsAndProcessesThatCannotBeReadAreSkipped() throws {
        let (url, id) = try file()
        defer { try? FileManager.default.removeItem(at: url) }
        // A process table laid out like /proc: one process writing, one reading, one without an fd folder.
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("proc-\(UUID().uuidString.prefix(8))")
        defer { try? FileManager.default.removeItem(at: root) }
        func process(_ pid: Int, flags: String) throws {
            let fd = root.appendingPathComponent("\(pid)/fd"), info = root.appendingPathComponent("\(pid)/fdinfo")
            try FileManager.default.createDirectory(at: fd, withIntermediateDirectories: true)
            try FileManager.default.createDirectory(at: info, withIntermediateDirectories: true)
            try FileManager.default.createSymbolicLink(atPath: fd.appendingPathComponent("3").path, withDestinationPath: url.path)
            try Data("pos:\t0\nflags:\t\(flags)\nmnt_id:\t25\n".utf8).write(to: info.appendingPathComponent("3"))
        }
        try FileManager.default.createDirectory(at: root.appendingPathComponent("7"), withIntermediateDirectories: true)
        try process(10, flags: "0100000")   // O_RDONLY | O_LARGEFILE
        #expect(OpenForWriting(proc: root.path).held(among: [id]).isEmpty)
        try process(11, flags: "02100001")  // O_WRONLY | O_LARGEFILE | O_CLOEXEC
        #expect(OpenForWriting(proc: root.path).held(among: [id]) == [id])
    }

    @Test func onePassOverTheProcessTableIsCheap() throws {
        let (url, id) = try file()
        defer { try? FileManager.default.removeItem(at: url) }
        let started = ContinuousClock.now
        for _ in 0..<10 { _ = OpenForWriting().held(among: [id]) }
        let each = (ContinuousClock.now - started) / 10
        print("open-for-writing scan: \(each) per pass")
        #expect(each < .seconds(1))
    }
}
