import Foundation

/// Reads what `RecordTableWriter` wrote, in any of the formats, back into columns
/// (`[group][column]`). Groups are discovered from the file when the layout lists none.
/// Every inconsistency (wrong header, unparsable field, columns of unequal length) throws
/// `VesicleIOError.malformed` with the path and, for CSV, the line.
enum RecordTableReader {
    static func read(
        directory: String, layout: RecordTableLayout, format: OutputFormat
    ) throws -> (groups: [String], columns: [[NumpyColumn]]) {
        let result: (groups: [String], columns: [[NumpyColumn]])
        switch format {
        case .csv: result = try readCSV(path: directory + "/" + layout.csvName(), layout: layout)
        case .npy: result = try readNumpy(directory: directory, layout: layout)
        case .hdf5: result = try readHDF5(path: directory + "/" + layout.hdf5Name(), layout: layout)
        }
        for (g, columns) in result.columns.enumerated() {
            let lengths = Set(columns.map(\.count))
            if lengths.count > 1 {
                throw VesicleIOError.malformed(
                    path: directory, reason: "columns of \(layout.stem) \(result.groups[g]) have different lengths \(lengths.sorted())")
            }
        }
        return result
    }

    static func readCSV(path: String, layout: RecordTableLayout) throws -> (groups: [String], columns: [[NumpyColumn]]) {
        let data: Data
        do { data = try Data(contentsOf: URL(fileURLWithPath: path)) } catch {
            throw VesicleIOError.readFailed(path: path, reason: error.localizedDescription)
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw VesicleIOError.malformed(path: path, reason: "not UTF-8 text")
        }
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        if lines.last == "" { lines.removeLast() }
        let expected = (layout.groupColumn.map { [$0] } ?? []) + layout.columns.map(\.name)
        guard let header = lines.first, header.split(separator: ",", omittingEmptySubsequences: false).map(String.init) == expected
        else {
            throw VesicleIOError.malformed(path: path, reason: "the header must be '\(expected.joined(separator: ","))'")
        }
        var groups = layout.isGrouped ? layout.groups.filter { !$0.isEmpty } : [""]
        var groupIndex = Dictionary(uniqueKeysWithValues: groups.enumerated().map { ($1, $0) })
        var floats: [[[Double]]] = groups.map { _ in layout.columns.map { _ in [] } }
        var integers: [[[UInt64]]] = groups.map { _ in layout.columns.map { _ in [] } }
        let offset = layout.isGrouped ? 1 : 0
        for (lineIndex, line) in lines.enumerated().dropFirst() {
            let fields = line.split(separator: ",", omittingEmptySubsequences: false)
            guard fields.count == expected.count else {
                throw VesicleIOError.malformed(
                    path: path, reason: "line \(lineIndex + 1) has \(fields.count) fields, expected \(expected.count)")
            }
            var g = 0
            if layout.isGrouped {
                let name = String(fields[0])
                if let known = groupIndex[name] {
                    g = known
                } else {
                    g = groups.count
                    groups.append(name)
                    groupIndex[name] = g
                    floats.append(layout.columns.map { _ in [] })
                    integers.append(layout.columns.map { _ in [] })
                }
            }
            for (c, schema) in layout.columns.enumerated() {
                let field = fields[c + offset]
                switch schema.kind {
                case .float64:
                    guard let value = Double(field), value.isFinite else {
                        throw VesicleIOError.malformed(
                            path: path, reason: "line \(lineIndex + 1): '\(field)' is not a finite number (\(schema.name))")
                    }
                    floats[g][c].append(value)
                case .uint64:
                    guard let value = UInt64(field) else {
                        throw VesicleIOError.malformed(
                            path: path, reason: "line \(lineIndex + 1): '\(field)' is not a non-negative integer (\(schema.name))")
                    }
                    integers[g][c].append(value)
                }
            }
        }
        let columns = groups.indices.map { g in
            layout.columns.enumerated().map { c, schema in
                schema.kind == .float64 ? NumpyColumn.float64(floats[g][c]) : .uint64(integers[g][c])
            }
        }
        return (groups, columns)
    }

    static func readNumpy(directory: String, layout: RecordTableLayout) throws -> (groups: [String], columns: [[NumpyColumn]]) {
        var groups = layout.groups
        if layout.isGrouped, groups.filter({ !$0.isEmpty }).isEmpty {
            let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
            var found = Set<String>()
            for column in layout.columns {
                let suffix = "." + column.name + ".npy"
                for name in names where name.hasPrefix(layout.stem + ".") && name.hasSuffix(suffix)
                    && name.count > layout.stem.count + 1 + suffix.count {
                    found.insert(String(name.dropFirst(layout.stem.count + 1).dropLast(suffix.count)))
                }
            }
            groups = found.sorted()
            guard !groups.isEmpty else {
                throw VesicleIOError.readFailed(path: directory, reason: "no \(layout.stem).*.npy files")
            }
        }
        var groupLayout = layout
        groupLayout.groups = groups
        let columns = try groups.indices.map { g in
            try layout.columns.indices.map { c in
                let path = directory + "/" + groupLayout.numpyName(group: g, column: c)
                return try convert(NumpyFormat.read(path: path), to: layout.columns[c], path: path)
            }
        }
        return (groups, columns)
    }

    static func readHDF5(path: String, layout: RecordTableLayout) throws -> (groups: [String], columns: [[NumpyColumn]]) {
        let file = try HDF5File.open(path: path)
        var groups = layout.groups
        if layout.isGrouped, groups.filter({ !$0.isEmpty }).isEmpty {
            let parent = layout.hdf5GroupPath("")
            groups = try file.members(of: parent.hasSuffix("/") ? String(parent.dropLast()) : parent)
        }
        let columns = try groups.map { group in
            try layout.columns.enumerated().map { c, schema in
                let datasetPath = layout.hdf5GroupPath(group) + "/" + layout.hdf5DatasetNames[c]
                return try convert(file.readDataset(datasetPath), to: schema, path: path + ":" + datasetPath)
            }
        }
        return (groups, columns)
    }

    /// Spike times stored as integers are accepted as doubles; indices stored as floats are not.
    private static func convert(_ column: NumpyColumn, to schema: ColumnSchema, path: String) throws -> NumpyColumn {
        switch (schema.kind, column) {
        case (.float64, .float64), (.uint64, .uint64): return column
        case (.float64, .uint64(let v)): return .float64(v.map(Double.init))
        case (.uint64, .float64):
            throw VesicleIOError.malformed(path: path, reason: "column \(schema.name) must hold integers")
        }
    }

    /// The format available in `directory` for `layout`, preferring the fastest to read.
    static func availableFormat(directory: String, layout: RecordTableLayout) -> OutputFormat? {
        let manager = FileManager.default
        if manager.fileExists(atPath: directory + "/" + layout.hdf5Name()) { return .hdf5 }
        let names = (try? manager.contentsOfDirectory(atPath: directory)) ?? []
        let npySuffixes = layout.columns.map { "." + $0.name + ".npy" }
        if names.contains(where: { name in name.hasPrefix(layout.stem + ".") && npySuffixes.contains { name.hasSuffix($0) } }) {
            return .npy
        }
        if manager.fileExists(atPath: directory + "/" + layout.csvName()) { return .csv }
        return nil
    }
}
