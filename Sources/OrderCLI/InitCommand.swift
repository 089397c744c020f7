import ArgumentParser
import OrderEngine

struct InitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init", abstract: "Create a home: folders, orderflow.yaml and the standard mappings (never overwrites).")
    @OptionGroup var global: GlobalOptions

    func run() throws {
        let home = Home(global.home)
        let created = try home.initialize()
        let engine = try Engine(home: home, clock: global.clock, newDatabase: global.newDatabase)
        _ = try engine.loadMappings()
        if created.isEmpty {
            print("home \(home.root.path) is ready; nothing to create")
        } else {
            print("created in \(home.root.path):")
            for path in created { print("  \(path)") }
        }
    }
}
