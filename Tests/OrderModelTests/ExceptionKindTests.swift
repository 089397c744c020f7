import Testing
import OrderModel

struct ExceptionKindTests {
    @Test(arguments: [ExceptionKind.backOrder, .orderVetting, .inbox, .failedFile, .duplicateFile, .outboxConflict, .rejectedRecord,
                      .rejectedOrder, .duplicateOrder, .duplicateReceipt, .stage(.heldForCredit), .stage(.onHold), .stage("Order Vetting")])
    func aKindReadsBackFromTheWordsTheReportPrints(kind: ExceptionKind) {
        #expect(ExceptionKind(kind.description) == kind)
    }

    @Test func theReportKeepsTheWordsOfEarlierFiles() {
        #expect(ExceptionKind.backOrder.description == "back-order")
        #expect(ExceptionKind.stage(.heldForCredit).description == Stage.heldForCredit.rawValue)
        #expect(ExceptionKind("Order Vetting") == .stage("Order Vetting"))
    }

    @Test func onlyWhatCameAgainIsADuplicate() {
        #expect(ExceptionKind.duplicateOrder.isDuplicate && ExceptionKind.duplicateFile.isDuplicate)
        #expect(!ExceptionKind.rejectedOrder.isDuplicate && !ExceptionKind.stage(.onHold).isDuplicate)
    }
}
