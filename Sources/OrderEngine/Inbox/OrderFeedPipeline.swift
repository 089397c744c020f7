import Foundation
import OrderImport

/// Reads, validates and assembles an order file on a thread of its own while the importing thread
/// writes: parsing and writing each take about half of an import, and the machine has two cores.
///
/// The reader hands over batches of finished orders and order-less rejections, in file order,
/// through a short bounded queue, so memory stays flat whatever the file's size. Every database
/// write stays on the importing thread, in the import's transactions (`ImportInProgress`): a crash
/// or a stop leaves the file exactly as before. A failure of the reader (a file that cannot be read as this feed) is
/// thrown to the importing thread; a stop of the importing thread stops the reader.
final class OrderFeedPipeline: @unchecked Sendable {
    /// What the writer does, in file order.
    enum Item: Sendable {
        /// A whole order, or the reasons it is rejected.
        case order(Result<OrderInput, OrderRejection>)
        /// A record that names no order: rejected on its own.
        case rejected(RecordRejection)
    }

    struct Batch: Sendable {
        var items: [Item] = []
        /// Records read for this batch.
        var records = 0
        /// Bytes read so far, for progress.
        var bytes = 0
    }

    private struct Cancelled: Error {}

    private let condition = NSCondition()
    private var queue: [Batch] = []
    private var finished = false
    private var exited = false
    private var cancelled = false
    private var failure: (any Error)?
    private var found: Set<String> = []
    private var skippedRows = 0
    private let capacity = 4
    private let batchSize = 512

    /// Starts reading `file` through `mapping` on a new thread.
    init(file: InputFile, mapping: Mapping, decoder: RecordDecoder) {
        FeedReader.prepare()
        let cardIndex = Feed.orders.index(of: "card_number")
        let thread = Thread { [self] in
            self.read(file, mapping: mapping, decoder: decoder, cardIndex: cardIndex)
        }
        thread.name = "orderflow.import-reader"
        thread.start()
    }

    /// The next batch in file order; nil once the file is read. Throws the reader's failure.
    func next() throws -> Batch? {
        condition.lock()
        defer { condition.unlock() }
        while queue.isEmpty && !finished { condition.wait() }
        if !queue.isEmpty {
            let batch = queue.removeFirst()
            condition.broadcast()
            return batch
        }
        if let failure { throw failure }
        return nil
    }

    /// Card numbers read from the card field, of every record, mapped or not (valid once `next()` returned nil).
    var cardNumbers: Set<String> {
        condition.lock()
        defer { condition.unlock() }
        return found
    }

    /// Rows the mapping's `skip_when:` left out (valid once `next()` returned nil).
    var skipped: Int {
        condition.lock()
        defer { condition.unlock() }
        return skippedRows
    }

    /// Stops the reader (if still reading) and waits until its thread has let go of the file.
    func close() {
        condition.lock()
        cancelled = true
        condition.broadcast()
        while !exited { condition.wait() }
        condition.unlock()
    }

    private func read(_ file: InputFile, mapping: Mapping, decoder: RecordDecoder, cardIndex: Int) {
        var assembler = OrderAssembler(money: decoder.money)
        var batch = Batch()
        var cards: Set<String> = []
        func push() throws {
            condition.lock()
            defer { condition.unlock() }
            while queue.count >= capacity && !cancelled { condition.wait() }
            if cancelled { throw Cancelled() }
            queue.append(batch)
            condition.broadcast()
            batch = Batch(bytes: batch.bytes)
        }
        func add(_ outcome: Result<OrderInput, OrderRejection>?) {
            if let outcome { batch.items.append(.order(outcome)) }
        }
        var error: (any Error)? = nil
        var summary = FeedReader.Summary()
        do {
            summary = try FeedReader(mapping: mapping).read(file, progress: { batch.bytes = $0 }) { record in
                batch.records += 1
                switch record {
                case .success(let mapped):
                    FileImporter.cardNumbers(in: mapped, cardIndex: cardIndex, into: &cards)
                    do throws(RecordRejection) {
                        add(assembler.add(try decoder.orderLine(mapped)))
                    } catch {
                        if error.orderRef != nil { add(assembler.add(error)) } else { batch.items.append(.rejected(error)) }
                    }
                case .failure(let rejection):
                    if let digits = rejection.cardDigits { cards.insert(digits) }
                    if rejection.orderRef != nil { add(assembler.add(rejection)) } else { batch.items.append(.rejected(rejection)) }
                }
                // Hand over regularly even while one long order is being assembled, so a stop is heard soon.
                if batch.items.count >= batchSize || batch.records >= 8 * batchSize { try push() }
            }
            add(assembler.finish())
            try push()
        } catch is Cancelled {
        } catch let thrown {
            error = thrown
        }
        condition.lock()
        failure = error
        found = cards
        skippedRows = summary.skipped
        finished = true
        exited = true
        condition.broadcast()
        condition.unlock()
    }
}
