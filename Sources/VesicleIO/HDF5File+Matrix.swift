import CHDF5

extension HDF5File {
    /// Creates a 2-D float64 dataset of `rows` x `columns` (C order) and fills it by whole rows from
    /// `fill`, which passes consecutive chunks of row-major values. SONATA reports
    /// (`/report/<population>/data`) are laid out this way: one row per time, one column per element.
    func writeMatrix(
        _ datasetPath: String, rows: Int, columns: Int,
        fill: ((ArraySlice<UInt64>) throws -> Void) throws -> Void
    ) throws {
        var dims: [hsize_t] = [hsize_t(rows), hsize_t(columns)]
        let space = H5Screate_simple(2, &dims, nil)
        guard space >= 0 else { throw failure("cannot create a dataspace") }
        defer { H5Sclose(space) }
        let creation = try untimedCreation(vesicle_h5p_dataset_create())
        defer { H5Pclose(creation) }
        let dataset = H5Dcreate2(
            id, datasetPath, vesicle_h5t_ieee_f64le(), space, vesicle_h5p_default(), creation, vesicle_h5p_default())
        guard dataset >= 0 else { throw failure("cannot create dataset \(datasetPath)") }
        defer { H5Dclose(dataset) }
        var row = 0
        try fill { chunk in
            guard !chunk.isEmpty else { return }
            guard columns > 0, chunk.count % columns == 0, row + chunk.count / columns <= rows else {
                throw failure("a chunk of \(chunk.count) values does not fill whole rows of \(datasetPath)")
            }
            var start: [hsize_t] = [hsize_t(row), 0]
            var size: [hsize_t] = [hsize_t(chunk.count / columns), hsize_t(columns)]
            let memorySpace = H5Screate_simple(2, &size, nil)
            defer { H5Sclose(memorySpace) }
            guard H5Sselect_hyperslab(space, H5S_SELECT_SET, &start, nil, &size, nil) >= 0 else {
                throw failure("cannot select rows of \(datasetPath)")
            }
            let status = chunk.withUnsafeBufferPointer {
                H5Dwrite(dataset, vesicle_h5t_native_double(), memorySpace, space, vesicle_h5p_default(), $0.baseAddress)
            }
            guard status >= 0 else { throw failure("cannot write \(datasetPath)") }
            row += chunk.count / columns
        }
        guard row == rows else { throw failure("\(datasetPath) received \(row) of \(rows) rows") }
    }
}
