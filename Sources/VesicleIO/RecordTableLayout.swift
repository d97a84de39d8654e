/// How one kind of recording is laid out in each format. Records may be split into named groups
/// (spike rasters: one group per population); the CSV file then carries the group's name in
/// `groupColumn` and the other formats get one set of columns per group.
struct RecordTableLayout: Sendable {
    /// File name stem: `spikes`, `release`, `traces.V_m`.
    var stem: String
    /// CSV column naming the group (`population`), or nil for an ungrouped table.
    var groupColumn: String?
    /// Group names; a single empty name for an ungrouped table.
    var groups: [String]
    /// Columns in record order (as in CSV, after the group column).
    var columns: [ColumnSchema]
    /// HDF5 group holding the datasets for group `g`.
    var hdf5GroupPath: @Sendable (String) -> String
    /// HDF5 dataset name of each column.
    var hdf5DatasetNames: [String]
    /// String attributes attached to each column's dataset.
    var hdf5DatasetAttributes: [[(String, String)]]
    /// Column whose order decides the SONATA `sorting` attribute, if the layout has one.
    var sortingColumn: Int?

    var isGrouped: Bool { groupColumn != nil }

    func csvName() -> String { stem + ".csv" }
    func hdf5Name() -> String { stem + ".h5" }
    func numpyName(group: Int, column: Int) -> String {
        let groupPart = isGrouped ? "." + groups[group] : ""
        return stem + groupPart + "." + columns[column].name + ".npy"
    }
}
