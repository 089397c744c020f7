import OrderImport
import OrderOutput
import OrderStore

/// The output mappings, read when the first document needs one (a home on the built-in layouts never
/// reads the folder), and what could not be written.
struct OutputRecipients {
    let context: CycleContext
    let mappings: [Mapping]
    var loaded: OutputMappings?
    /// What could not be written, for the step's report.
    private(set) var warnings: [String] = []

    /// Records (and logs) a document that could not be written, and why.
    mutating func notWritten(_ reason: String) {
        warnings.append(reason)
        context.engine.logger.error("document not written", metadata: ["reason": "\(reason)"])
    }

    /// The mapping `name` for a document of `kind`, nil for the built-in layout; a name that cannot be
    /// used is an error with words (the document is then not written).
    mutating func mapping(named name: String, for kind: OutputDocumentKind, recipient: String) throws(EngineError) -> OutputMapping? {
        if OutputMappings.isBuiltIn(name, for: kind) { return nil }
        let home = context.engine.home, mappings = mappings
        let outputs = loaded ?? OutputMappings.load(home: home, mappings: mappings)
        loaded = outputs
        return try outputs.mapping(named: name, for: kind, recipient: recipient)
    }

    /// Renders one document through `mapping` and stores it, pending publication, numbered `number` in
    /// `sequence` (taken only once the document rendered, so a failed render leaves no gap); `numbered`
    /// records a number taken before (a purchase order's, at drop ship) for the outbox's number mark.
    /// - Returns: the stored document's id, or nil when it could not be rendered (the reason is kept).
    mutating func store(_ values: OutputDocumentValues, through mapping: OutputMapping, _ tx: StoreTransaction,
                        defaultFolder: String, defaultName: String, sequence: (key: String, number: Int)?,
                        what: String, numbered: (key: String, number: Int)? = nil) throws -> Int64? {
        let today = context.now.day
        let bytes: [UInt8], folder: String, name: String
        do {
            bytes = try mapping.render(values, today: today, name: what)
            folder = try mapping.folder(for: values, today: today) ?? defaultFolder
            name = try mapping.fileName(for: values, today: today) ?? "\(defaultName).\(mapping.format.fileExtension)"
        } catch {
            notWritten("\(what) not written (output mapping \(mapping.file)): \(error)")
            return nil
        }
        if let sequence {
            let taken = try OutboxSequence.next(tx, folder: sequence.key)
            guard taken == sequence.number else {
                throw EngineError.notPossible("the outbox sequence of \(sequence.key) moved while \(what) was rendered (\(sequence.number), now \(taken))")
            }
        }
        return try tx.storeOutboxFile(folder: folder, name: name, bytes: bytes, rows: values.rows.count, cycleID: context.cycleID,
                                      at: context.now, sequence: sequence ?? numbered)
    }

    /// The values of the documents a mapping writes, reading only the fields it reads.
    func values(_ tx: StoreTransaction, for mapping: OutputMapping) -> DocumentValues {
        DocumentValues(tx: tx, catalog: DocumentValues.catalog(mapping.document, mappings: mappings), money: context.money,
                       today: context.now.day, fields: mapping.fields, readsOrderLines: mapping.readsOrderLines)
    }
}
