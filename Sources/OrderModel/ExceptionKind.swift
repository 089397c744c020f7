/// What an exception-report row is about: its first column, and the key people filter the report by.
///
/// An order moved to a stage that reports (Held For Credit, On Hold, a rule's stage such as Order
/// Vetting) is `stage`; the rest are the engine's own events. The text is the report's, unchanged from
/// the files written before this type existed, so collectors parsing the report see the same words.
public enum ExceptionKind: Sendable, Hashable, CustomStringConvertible {
    /// An order (or line) moved to this stage.
    case stage(Stage)
    /// A line waits for stock.
    case backOrder
    /// A line names a product the catalogue does not have.
    case orderVetting
    /// The inbox itself has a problem (unreadable folder, a file that cannot be claimed).
    case inbox
    /// A whole file was refused.
    case failedFile
    /// A file already imported came again.
    case duplicateFile
    /// An outbox document's name was taken by another file; it was set aside.
    case outboxConflict
    /// A record of a master-data or receipt feed was refused.
    case rejectedRecord
    /// An order of an order feed was refused.
    case rejectedOrder
    /// An order ref already imported came again.
    case duplicateOrder
    /// A receipt already booked came again.
    case duplicateReceipt

    /// The words in the report.
    public var description: String {
        switch self {
        case .stage(let stage): stage.rawValue
        case .backOrder: "back-order"
        case .orderVetting: "order-vetting"
        case .inbox: "inbox"
        case .failedFile: "failed-file"
        case .duplicateFile: "duplicate-file"
        case .outboxConflict: "outbox-conflict"
        case .rejectedRecord: "rejected-record"
        case .rejectedOrder: "rejected-order"
        case .duplicateOrder: "duplicate-order"
        case .duplicateReceipt: "duplicate-receipt"
        }
    }

    /// The engine's own kinds, by their words.
    static let events: [String: ExceptionKind] = Dictionary([
        ExceptionKind.backOrder, .orderVetting, .inbox, .failedFile, .duplicateFile, .outboxConflict, .rejectedRecord,
        .rejectedOrder, .duplicateOrder, .duplicateReceipt,
    ].map { ($0.description, $0) }, uniquingKeysWith: { first, _ in first })

    /// The kind a report row's words name; words that are none of the engine's own name a stage.
    public init(_ text: String) {
        self = Self.events[text] ?? .stage(Stage(rawValue: text))
    }

    /// The kinds whose order ref is an order that was never stored (refused, or a duplicate of one stored):
    /// the ref is the file's, and must not be looked up in the order book.
    public static let ordersNotStored: Set<ExceptionKind> = [.rejectedOrder, .duplicateOrder]

    /// Whether the row reports something that came again (a file, an order, a receipt), not a mistake in it.
    public var isDuplicate: Bool {
        switch self {
        case .duplicateFile, .duplicateOrder, .duplicateReceipt: true
        default: false
        }
    }
}
