import Foundation
import Testing
import OrderEngine
import TestSupport

@Suite struct HomeCheckTests {
    @Test func aFreshHomeChecksClean() throws {
        let home = try TestHome()
        let report = HomeCheck(home: home.home).run()
        #expect(report.problems == [])
        #expect(report.mappings == 8)
    }

    /// Everything the engine would refuse is found, each with its place, and all of them at once.
    @Test func everyProblemTheEngineWouldRefuseIsListed() throws {
        let home = try TestHome()
        try Data("cache_mb: 1\njobs:\n  - name: a\n    cron: \"*/0 * * * *\"\n  - name: b\n    every: 5m\n    steps: [ghost]\n".utf8)
            .write(to: home.home.configFile)
        try Data("stages: []\npipeline:\n  - step: import\n  - step: export\n  - step: export\n".utf8).write(to: home.home.rulesFile)
        let problems = HomeCheck(home: home.home).run().problems
        #expect(problems.count == 3, "\(problems)")
        #expect(problems.contains { $0.hasPrefix("configuration: cache_mb '1' at orderflow.yaml:1:11:") })
        #expect(problems.contains { $0.hasPrefix("configuration: job 'a' cron '*/0 * * * *' at orderflow.yaml:4:") })
        #expect(problems.contains { $0.contains("rules.yaml:5:11: 'export' appears twice in the pipeline") })
        #expect(!home.exists("orderflow.sqlite"))

        // With rules.yaml mended, the job's unknown step is found against the pipeline.
        try Data("stages: []\npipeline:\n  - step: import\n".utf8).write(to: home.home.rulesFile)
        #expect(HomeCheck(home: home.home).run().problems.contains {
            $0.hasPrefix("jobs: job 'b' step 'ghost' at orderflow.yaml:7:13: not in the pipeline of rules.yaml and not a built-in step")
        })
    }

    @Test func aDatabaseInAFolderThatDoesNotExistIsFound() throws {
        let home = try TestHome()
        try Data("database: nowhere/orderflow.sqlite\n".utf8).write(to: home.home.configFile)
        #expect(HomeCheck(home: home.home).run().problems == [
            "configuration: database 'nowhere/orderflow.sqlite': the folder \(home.root.path)/nowhere does not exist; the engine cannot open its database there",
        ])
    }

    @Test func aHomeWithoutItsDatabaseIsRefusedForReadingAndNoneIsCreated() throws {
        let home = try TestHome()
        #expect { try home.home.requireDatabase() } throws: { "\($0)".hasPrefix("no database at ") }
        #expect(!home.exists("orderflow.sqlite"))
        _ = try home.engine()
        try home.home.requireDatabase()
    }
}

/// `orderflow check` on output mappings: each file loads, and every name that chooses one exists and writes
/// the right document.
@Suite struct HomeCheckOutputMappingTests {
    @Test func aBrokenOutputMappingIsReportedWithItsFileLineAndColumn() throws {
        let home = try TestHome()
        try OutputPreviewTests.write(OutputPreviewTests.purchaseOrderCSV, as: "acme", in: home)
        try OutputPreviewTests.write("document: pick-list\nformat: csv\ncsv:\n  columns:\n    - {header: qty, value: line.quantit}\n",
                                     as: "bad", in: home)
        try OutputPreviewTests.write("document: pick-list\nformat: csv\ncsv:\n  delimter: \";\"\n  columns:\n    - {value: line.sku}\n",
                                     as: "typo", in: home)
        let report = HomeCheck(home: home.home).run()
        #expect(report.problems.count == 2, "\(report.problems)")
        #expect(report.problems.contains { $0.hasPrefix("mappings/outputs/bad.yaml:5:28: ") && $0.contains("line.quantity") }, "\(report.problems)")
        #expect(report.problems.contains { $0.hasPrefix("mappings/outputs/typo.yaml:4:3: ") && $0.contains("delimiter") })

        try FileManager.default.removeItem(at: home.home.outputMappings.appendingPathComponent("bad.yaml"))
        try FileManager.default.removeItem(at: home.home.outputMappings.appendingPathComponent("typo.yaml"))
        let clean = HomeCheck(home: home.home).run()
        #expect(clean.problems == [])
        #expect(clean.outputMappings == ShippedMappings.outputs.count + 1, "the shipped ones and acme")
    }

    @Test func aSettingNamingAMissingMappingOrOneOfAnotherDocumentIsReported() throws {
        let home = try TestHome()
        try OutputPreviewTests.write(OutputPreviewTests.purchaseOrderCSV, as: "acme", in: home)
        try Data("outputs:\n  pick_list: acme\n  warehouse_pick_lists:\n    WH2: wms-b\n  exception_report: standard\n".utf8)
            .write(to: home.home.configFile)
        let problems = HomeCheck(home: home.home).run().problems
        #expect(problems == [
            "outputs.pick_list in orderflow.yaml names the output mapping 'acme' for its pick-list, but mappings/outputs/acme.yaml writes a purchase-order",
            "outputs.warehouse_pick_lists.WH2 in orderflow.yaml names the output mapping 'wms-b', but there is no mappings/outputs/wms-b.yaml; the pick-list mappings are standard, pick-list-csv",
        ])
        #expect(!home.exists("orderflow.sqlite"), "check creates no database")
    }

    @Test func aSupplierNamingAMissingMappingIsReportedWhenTheHomeHasADatabase() throws {
        let home = try OutputPreviewTests.homeWithAPendingPurchaseOrder()
        #expect(HomeCheck(home: home.home).run().problems == [
            "the po_format of supplier SUPA names the output mapping 'acme', but there is no mappings/outputs/acme.yaml; the purchase-order mappings are standard, csv, xml, cxml-order-request, po-csv, po-xml, ubl-order",
        ])
        try OutputPreviewTests.write(OutputPreviewTests.pickListCSV, as: "acme", in: home)
        #expect(HomeCheck(home: home.home).run().problems == [
            "the po_format of supplier SUPA names the output mapping 'acme' for its purchase-order, but mappings/outputs/acme.yaml writes a pick-list",
        ])
        try OutputPreviewTests.write(OutputPreviewTests.purchaseOrderCSV, as: "acme", in: home)
        #expect(HomeCheck(home: home.home).run().problems == [])
    }
}
