// swift-tools-version:6.1
import PackageDescription

let strict: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
]

let package = Package(
    name: "orderflow",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "orderflow", targets: ["orderflow"]),
        .library(name: "OrderEngine", targets: ["OrderEngine"]),
    ],
    dependencies: [
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1", traits: []),
        .package(url: "https://github.com/hummingbird-project/hummingbird-auth", from: "2.5.0"),
    ],
    targets: [
        .target(name: "OrderModel", swiftSettings: strict),
        .systemLibrary(name: "CLibXML2", pkgConfig: "libxml-2.0", providers: [.apt(["libxml2-dev"])]),
        .target(name: "CSQLiteTuning", linkerSettings: [.linkedLibrary("sqlite3")]),
        .target(name: "CCrashGuard"),
        .target(
            name: "OrderStore",
            dependencies: ["OrderModel", "CSQLiteTuning", .product(name: "GRDB", package: "GRDB.swift"),
                           .product(name: "GRDBSQLite", package: "GRDB.swift")],
            swiftSettings: strict),
        .target(
            name: "OrderImport",
            dependencies: ["OrderModel", "CLibXML2", .product(name: "Yams", package: "Yams")],
            swiftSettings: strict),
        .target(name: "OrderRules", dependencies: ["OrderModel"], swiftSettings: strict),
        .target(name: "OrderAllocation", dependencies: ["OrderModel"], swiftSettings: strict),
        .target(name: "OrderExport", dependencies: ["OrderModel"], swiftSettings: strict),
        .target(name: "OrderJobs", dependencies: ["OrderModel"], swiftSettings: strict),
        .target(name: "OrderOutput", dependencies: ["OrderModel", "OrderRules", "OrderExport", "CLibXML2", .product(name: "Yams", package: "Yams")],
                swiftSettings: strict),
        // The inbox watcher: settled files claimed into processing/, then archived or failed, never lost.
        .target(name: "OrderInbox", dependencies: ["OrderModel", "OrderImport", "OrderExport", "CCrashGuard"], swiftSettings: strict),
        .target(
            name: "OrderEngine",
            dependencies: [
                "OrderModel", "OrderStore", "OrderImport", "OrderInbox", "OrderRules", "OrderAllocation", "OrderExport", "OrderJobs",
                "OrderOutput", .product(name: "Yams", package: "Yams"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict),
        // The benchmarks (`orderflow bench`): generated feeds, timed against the sqlite3 shell's `.import`.
        .target(
            name: "OrderBench",
            dependencies: ["OrderEngine", "OrderModel", "OrderStore", "OrderImport"],
            swiftSettings: strict),
        // The long-running engine: the job loop as a swift-service-lifecycle Service.
        .target(
            name: "OrderDaemon",
            dependencies: ["OrderEngine", "OrderInbox", "OrderModel", "OrderStore", "OrderImport", "OrderJobs",
                           .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                           .product(name: "Logging", package: "swift-log")],
            swiftSettings: strict),
        // The web console (`orderflow run --http`, `orderflow serve`): server-rendered pages on Hummingbird.
        .target(
            name: "OrderConsole",
            dependencies: ["OrderEngine", "OrderDaemon", "OrderModel", "OrderStore", "OrderRules", "OrderJobs", "OrderExport",
                           .product(name: "Hummingbird", package: "hummingbird"),
                           .product(name: "HummingbirdBcrypt", package: "hummingbird-auth"),
                           .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                           .product(name: "Logging", package: "swift-log")],
            swiftSettings: strict),
        .target(
            name: "OrderCLI",
            dependencies: ["OrderEngine", "OrderDaemon", "OrderConsole", "OrderBench", "OrderModel", "OrderRules", "OrderImport",
                           .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                           .product(name: "ArgumentParser", package: "swift-argument-parser"),
                           .product(name: "Logging", package: "swift-log")],
            swiftSettings: strict),
        .executableTarget(name: "orderflow", dependencies: ["OrderCLI"], swiftSettings: strict),
        // Fuzz targets (README "Fuzzing"): a replay tool here; a libFuzzer binary when built by tools/fuzz.sh.
        .target(name: "CFuzzerDriver"),
        .executableTarget(
            name: "OrderFuzz",
            dependencies: ["OrderEngine", "OrderImport", "OrderRules", "OrderModel", "OrderOutput", "CFuzzerDriver"],
            swiftSettings: strict + [.unsafeFlags(["-parse-as-library"])]),

        .target(name: "TestSupport", dependencies: ["OrderEngine", "OrderModel", .product(name: "Logging", package: "swift-log")],
                path: "Tests/TestSupport"),
        .testTarget(name: "OrderModelTests", dependencies: ["OrderModel"]),
        .testTarget(name: "OrderStoreTests", dependencies: ["OrderStore", .product(name: "GRDB", package: "GRDB.swift")]),
        .testTarget(name: "OrderImportTests", dependencies: ["OrderImport", "OrderModel"]),
        .testTarget(name: "OrderRulesTests", dependencies: ["OrderRules", "OrderModel"]),
        .testTarget(name: "OrderAllocationTests", dependencies: ["OrderAllocation", "OrderModel"]),
        .testTarget(name: "OrderExportTests", dependencies: ["OrderExport", "OrderModel"]),
        .testTarget(name: "OrderJobsTests", dependencies: ["OrderJobs", "OrderModel"]),
        .testTarget(name: "OrderOutputTests", dependencies: ["OrderOutput", "OrderRules", "OrderExport", "OrderModel", "OrderImport", "OrderEngine", "CLibXML2"]),
        .testTarget(name: "OrderInboxTests", dependencies: ["OrderInbox"]),
        .testTarget(name: "OrderEngineTests", dependencies: ["OrderEngine", "OrderDaemon", "OrderInbox", "OrderStore", "OrderJobs", "OrderModel", "OrderOutput", "OrderRules", "TestSupport", .product(name: "GRDB", package: "GRDB.swift")]),
        .testTarget(name: "OrderDaemonTests", dependencies: ["OrderDaemon", "OrderEngine", "OrderJobs", "OrderModel", "TestSupport",
                                                           .product(name: "GRDB", package: "GRDB.swift"),
                                                           .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                                                           .product(name: "Logging", package: "swift-log")]),
        .testTarget(name: "OrderConsoleTests", dependencies: ["OrderConsole", "OrderEngine", "OrderDaemon", "OrderModel", "OrderRules", "TestSupport",
                                                            .product(name: "HummingbirdTesting", package: "hummingbird")]),
        .testTarget(name: "OrderCLITests", dependencies: ["orderflow", "TestSupport"]),
    ],
    swiftLanguageModes: [.v6]
)
