import OrderModel

/// How a kept file's bytes are read when its card numbers are masked.
///
/// A card number in a UTF-16 file is not a run of ASCII digit bytes (each digit is followed or
/// preceded by a zero byte), so it is masked in the file's own encoding, code unit by code unit.
/// UTF-16 is recognised by its byte order mark, or, without one, by zero bytes filling one side
/// of the code units of the file's first 4 KB (a misfiled UTF-16 file is kept masked too). Every
/// other encoding the engine reads (UTF-8, ISO-8859-1, Windows-1252) writes digits as ASCII bytes.
public enum KeptFileEncoding: Equatable {
    case bytes
    case utf16(littleEndian: Bool)

    public init(_ bytes: UnsafeBufferPointer<UInt8>) {
        if bytes.count >= 2, bytes[0] == 0xFF, bytes[1] == 0xFE { self = .utf16(littleEndian: true); return }
        if bytes.count >= 2, bytes[0] == 0xFE, bytes[1] == 0xFF { self = .utf16(littleEndian: false); return }
        let sample = min(bytes.count, 4096) & ~1
        guard sample >= 8 else { self = .bytes; return }
        var evenZeros = 0, oddZeros = 0
        for i in stride(from: 0, to: sample, by: 2) {
            if bytes[i] == 0 { evenZeros += 1 }
            if bytes[i + 1] == 0 { oddZeros += 1 }
        }
        let units = sample / 2
        if oddZeros * 2 >= units && evenZeros * 8 < units { self = .utf16(littleEndian: true) }
        else if evenZeros * 2 >= units && oddZeros * 8 < units { self = .utf16(littleEndian: false) }
        else { self = .bytes }
    }

    /// Whether anything in the file would be masked (read only; nothing is copied).
    public func needsRedaction(_ all: UnsafeBufferPointer<UInt8>, known: Set<String>?) -> Bool {
        switch self {
        case .bytes:
            return CardNumberRedactor.needsRedaction(all, known: known)
        case .utf16:
            var start = 0
            while start < all.count {
                let end = sliceEnd(all, from: start, size: 4 << 20)
                var chunk = Array(UnsafeBufferPointer(rebasing: all[start..<end]))
                if redact(&chunk, known: known) { return true }
                start = end
            }
            return false
        }
    }

    /// The end of the slice starting at `start`: about `size` bytes, ending after a line end (so no
    /// number is cut in two) and, for UTF-16, on a whole code unit.
    public func sliceEnd(_ all: UnsafeBufferPointer<UInt8>, from start: Int, size: Int) -> Int {
        switch self {
        case .bytes:
            var end = min(start + size, all.count)
            while end < all.count, all[end - 1] != 10 { end += 1 }
            return end
        case .utf16(let little):
            var end = min(start + size, all.count) & ~1
            if end <= start { return all.count }
            while end + 1 < all.count {
                let (lo, hi) = little ? (all[end - 2], all[end - 1]) : (all[end - 1], all[end - 2])
                if lo == 10 && hi == 0 { break }
                end += 2
            }
            return end + 1 == all.count ? all.count : end
        }
    }

    @discardableResult
    public func redact(_ chunk: inout [UInt8], known: Set<String>?) -> Bool {
        switch self {
        case .bytes: return CardNumberRedactor.redact(&chunk, known: known)
        case .utf16(let little): return CardNumberRedactor.redactUTF16(&chunk, littleEndian: little, known: known)
        }
    }
}
