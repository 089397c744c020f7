import Foundation
import OrderExport
import OrderImport
import OrderModel
import OrderOutput
import OrderStore
import OrderRules

/// Runs one process rule: search the orders in its stages, act on the matches, record what it did.
///
/// One transaction: the moves, their history, the exception rows and any output document.
/// An order a person released from this rule's stage is not matched by it again.
public struct ProcessRuleStep: CycleStep {
    public let rule: ProcessRule
    let catalog: FieldCatalog
    /// The inbound mappings: the custom fields an output mapping of the rule's output may read.
    let mappings: [Mapping]
    public var name: String { rule.name }

    public init(rule: ProcessRule, catalog: FieldCatalog, mappings: [Mapping] = []) {
        self.rule = rule
        self.catalog = catalog
        self.mappings = mappings
    }

    public func run(_ context: CycleContext) throws -> StepReport {
        // An output through a mapping: the mapping is read first, so that the facts loaded hold what it writes.
        var recipients = OutputRecipients(context: context, mappings: mappings)
        var outputMapping: OutputMapping?
        var fields = rule.fields
        if case .output(_, .mapping(let name)) = rule.action {
            do {
                outputMapping = try recipients.mapping(named: name, for: .ruleOutput, recipient: "rule \(rule.name) (its output in rules.yaml)")
                let read = outputMapping?.fields ?? []
                fields.formUnion(read)
                if read.contains(where: { $0.hasPrefix("ship_to.") }) { fields.formUnion(DocumentValues.shipToSources) }
            } catch {
                recipients.notWritten("rule \(rule.name): output not written: \(error)")
            }
        }
        let (matched, acted, wroteOutput) = try context.store.write { tx -> (Int, Int, Bool) in
            let loader = FactsLoader(tx: tx, catalog: catalog, money: context.money, today: context.now.day, fields: fields)
            let facts = try loader.load(try loader.orderIDs(stages: rule.stages, excludingOverridesFor: rule.name,
                                                            prefilter: rule.scope == .order ? rule.search.prefilter : []))
            let mover = StageMover(tx, at: context.now, cycleID: context.cycleID, actor: .rule(rule.name))
            let batch = try StageMover.Batch(mover)
            let looked = Set(rule.stages)
            var matched = 0, acted = 0
            var rows: [[String]] = []
            var mappedRows: [OutputRow] = []
            var outputs: [(orderID: Int64, lineID: Int64)] = []
            for order in facts {
                let lines: [LineFacts]
                switch rule.scope {
                case .order:
                    guard rule.search.matches(order, today: context.now.day) else { continue }
                    lines = order.lines.filter { Self.stage($0).map(looked.contains) ?? false }
                case .line:
                    lines = rule.search.matchingLines(order, today: context.now.day).filter { Self.stage($0).map(looked.contains) ?? false }
                }
                guard !lines.isEmpty else { continue }
                matched += 1
                let ref = order.order["ref"].flatMap { if case .text(let t) = $0 { t } else { nil } }
                switch rule.action {
                case .move(let to, let reason):
                    acted += try move(lines, of: order, to: to, reason: reason, batch: batch, tx: tx)
                    try tx.record(ExceptionNote(kind: .stage(to), orderRef: ref, lineNo: rule.scope == .line && lines.count == 1 ? Self.lineNo(lines[0]) : nil,
                                                reason: "\(rule.name): \(reason)"), cycleID: context.cycleID)
                case .hold(let reason):
                    acted += try move(lines, of: order, to: .onHold, reason: "held by rule: \(reason)", batch: batch, tx: tx)
                    try tx.setManualHold(true, ofOrder: order.orderID)
                    try tx.record(ExceptionNote(kind: .stage(.onHold), orderRef: ref, reason: "\(rule.name): \(reason)"), cycleID: context.cycleID)
                case .shipPolicy(let policy):
                    if try tx.setShipPolicy(policy.description, ofOrder: order.orderID) { acted += 1 }
                case .release(let reason):
                    acted += try move(lines, of: order, to: .new, reason: reason, batch: batch, tx: tx, code: nil)
                    try tx.setManualHold(false, ofOrder: order.orderID)
                case .output(_, let layout):
                    let targets: [LineFacts?] = rule.scope == .order ? [nil] : lines.map { $0 }
                    for line in targets {
                        let lineID = line?.lineID ?? 0
                        if try tx.hasRuleOutput(rule: rule.name, orderID: order.orderID, lineID: lineID) { continue }
                        switch layout {
                        case .columns(let columns):
                            rows.append(columns.map { Self.cell($0.1.value(order, line: line, today: context.now.day)) })
                        case .mapping:
                            // Without its mapping nothing is written, and the matches are output once it loads.
                            guard outputMapping != nil else { continue }
                            mappedRows.append(OutputRow(order: order, line: line ?? LineFacts(lineID: 0, line: [:], product: nil)))
                        }
                        outputs.append((order.orderID, lineID))
                        acted += 1
                    }
                }
            }
            try batch.write()
            try batch.clear()
            var wrote = false
            if case .output(let folder, .mapping) = rule.action, let mapping = outputMapping, !mappedRows.isEmpty {
                let number = try tx.nextOutboxNumber(in: folder)
                let ref = String(format: "%@-%06d", ExportStep.safeName(rule.name), number)
                let values = DocumentValues.ruleOutput(mappedRows, ref: ref, number: number, today: context.now.day)
                if let id = try recipients.store(values, through: mapping, tx, defaultFolder: folder, defaultName: ref,
                                                 sequence: (folder, number), what: "output \(ref) of rule \(rule.name)") {
                    try tx.recordRuleOutputs(rule: rule.name, outputs, file: id)
                    wrote = true
                } else {
                    acted -= outputs.count
                }
            }
            if case .output(let folder, .columns(let columns)) = rule.action, !rows.isEmpty {
                var csv = CSVWriter(header: columns.map(\.0))
                for row in rows { csv.append(row) }
                let number = try OutboxSequence.next(tx, folder: folder)
                let id = try ExportStep.store(tx, context, folder: folder, name: String(format: "%@-%06d.csv", ExportStep.safeName(rule.name), number),
                                              bytes: csv.bytes, rows: csv.rows)
                try tx.recordRuleOutputs(rule: rule.name, outputs, file: id)
                wrote = true
            }
            try tx.recordRuleRun(rule: rule.name, matched: matched, acted: acted, cycleID: context.cycleID, at: context.now)
            return (matched, acted, wrote)
        }
        var warnings = recipients.warnings
        if wroteOutput { warnings += OutboxPublisher(context: context).publishPending().failures }
        return StepReport(step: name, ["matched": matched, "acted": acted], warnings: warnings)
    }

    /// Gives back any stock the lines hold and stages their moves (written together after the search).
    func move(_ lines: [LineFacts], of order: OrderFacts, to stage: Stage, reason: String, batch: StageMover.Batch, tx: StoreTransaction,
              code: String?? = .none) throws -> Int {
        let ids = lines.map(\.lineID)
        try StockLedger(tx).release(lineIDs: ids)
        for line in lines {
            guard let from = Self.stage(line), from != stage else { continue }
            try batch.stage(line.lineID, orderID: order.orderID, from: from, to: stage,
                            code: code ?? "rule:\(rule.name)", reason: reason)
        }
        return lines.count
    }

    static func stage(_ line: LineFacts) -> Stage? {
        if case .text(let s)? = line.line["stage"] { return Stage(rawValue: s) }
        return nil
    }

    static func lineNo(_ line: LineFacts) -> Int? {
        if case .number(let n)? = line.line["line_no"] { return Int(truncating: NSDecimalNumber(decimal: n)) }
        return nil
    }

    static func cell(_ value: Value) -> String {
        switch value {
        case .text(let s): s
        case .null: ""
        case .date(let d): Timestamp(secondsSinceEpoch: d * 86_400).dayText
        default: value.description
        }
    }
}

