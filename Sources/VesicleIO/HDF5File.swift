import CHDF5

/// A minimal, error-checked view of libhdf5 for Vesicle's layouts: groups, one-dimensional
/// float64/uint64 datasets written in chunks, and UTF-8 string attributes (variable length, so
/// h5py returns `str`). Every failing HDF5 call becomes a `VesicleIOError` naming the file.
final class HDF5File {
    let path: String
    private(set) var id: hid_t

    private init(path: String, id: hid_t) {
        self.path = path
        self.id = id
    }

    deinit { if id >= 0 { H5Fclose(id) } }

    static func create(path: String) throws -> HDF5File {
        vesicle_h5_silence_errors()
        let id = H5Fcreate(path, vesicle_h5f_acc_trunc(), vesicle_h5p_default(), vesicle_h5p_default())
        guard id >= 0 else { throw VesicleIOError.notWritable(path: path, reason: "HDF5 could not create the file") }
        return HDF5File(path: path, id: id)
    }

    static func open(path: String) throws -> HDF5File {
        vesicle_h5_silence_errors()
        guard H5Fis_hdf5(path) > 0 else {
            throw VesicleIOError.malformed(path: path, reason: "not an HDF5 file (or it cannot be opened)")
        }
        let id = H5Fopen(path, vesicle_h5f_acc_rdonly(), vesicle_h5p_default())
        guard id >= 0 else { throw VesicleIOError.readFailed(path: path, reason: "HDF5 could not open the file") }
        return HDF5File(path: path, id: id)
    }

    func close() throws {
        guard id >= 0 else { return }
        defer { id = -1 }
        guard H5Fclose(id) >= 0 else { throw VesicleIOError.writeFailed(path: path, reason: "HDF5 could not close the file") }
    }

    func failure(_ what: String) -> VesicleIOError {
        .writeFailed(path: path, reason: "HDF5: \(what)")
    }

    /// A creation property list that does not record modification times: HDF5 stores them in
    /// object headers by default, which would make two runs with the same seed differ byte for byte
    /// (docs/DESIGN.md, Randomness: same seed, same files).
    func untimedCreation(_ propertyClass: hid_t) throws -> hid_t {
        let list = H5Pcreate(propertyClass)
        guard list >= 0, H5Pset_obj_track_times(list, false) >= 0 else { throw failure("cannot create a property list") }
        return list
    }

    /// Creates `groupPath` and any missing parents ("/spikes/E").
    func createGroups(_ groupPath: String) throws {
        var current = ""
        for component in groupPath.split(separator: "/") {
            current += "/" + component
            if H5Lexists(id, current, vesicle_h5p_default()) > 0 { continue }
            let creation = try untimedCreation(vesicle_h5p_group_create())
            defer { H5Pclose(creation) }
            let group = H5Gcreate2(id, current, vesicle_h5p_default(), creation, vesicle_h5p_default())
            guard group >= 0 else { throw failure("cannot create group \(current)") }
            H5Gclose(group)
        }
    }

    /// Creates a 1-D dataset of `count` elements and fills it by chunks from `fill`, which is
    /// called with a start offset and must return the next chunk's 64-bit words.
    func writeDataset(
        _ datasetPath: String, kind: ColumnKind, count: Int,
        fill: ((ArraySlice<UInt64>) throws -> Void) throws -> Void
    ) throws {
        let fileType = kind == .float64 ? vesicle_h5t_ieee_f64le() : vesicle_h5t_std_u64le()
        let memoryType = kind == .float64 ? vesicle_h5t_native_double() : vesicle_h5t_native_uint64()
        var dims: [hsize_t] = [hsize_t(count)]
        let space = H5Screate_simple(1, &dims, nil)
        guard space >= 0 else { throw failure("cannot create a dataspace") }
        defer { H5Sclose(space) }
        let creation = try untimedCreation(vesicle_h5p_dataset_create())
        defer { H5Pclose(creation) }
        let dataset = H5Dcreate2(id, datasetPath, fileType, space, vesicle_h5p_default(), creation, vesicle_h5p_default())
        guard dataset >= 0 else { throw failure("cannot create dataset \(datasetPath)") }
        defer { H5Dclose(dataset) }
        var offset = 0
        try fill { chunk in
            guard !chunk.isEmpty else { return }
            guard offset + chunk.count <= count else { throw failure("more data than declared for \(datasetPath)") }
            var start: [hsize_t] = [hsize_t(offset)]
            var size: [hsize_t] = [hsize_t(chunk.count)]
            let memorySpace = H5Screate_simple(1, &size, nil)
            defer { H5Sclose(memorySpace) }
            guard H5Sselect_hyperslab(space, H5S_SELECT_SET, &start, nil, &size, nil) >= 0 else {
                throw failure("cannot select rows of \(datasetPath)")
            }
            let status = chunk.withUnsafeBufferPointer {
                H5Dwrite(dataset, memoryType, memorySpace, space, vesicle_h5p_default(), $0.baseAddress)
            }
            guard status >= 0 else { throw failure("cannot write \(datasetPath)") }
            offset += chunk.count
        }
        guard offset == count else { throw failure("\(datasetPath) received \(offset) of \(count) values") }
    }

    /// Attaches a scalar variable-length UTF-8 string attribute to the object at `objectPath`.
    func setAttribute(_ name: String, value: String, on objectPath: String) throws {
        let type = H5Tcopy(vesicle_h5t_c_s1())
        defer { H5Tclose(type) }
        H5Tset_size(type, vesicle_h5t_variable())
        H5Tset_cset(type, H5T_CSET_UTF8)
        let space = H5Screate(H5S_SCALAR)
        defer { H5Sclose(space) }
        let attribute = H5Acreate_by_name(
            id, objectPath, name, type, space, vesicle_h5p_default(), vesicle_h5p_default(), vesicle_h5p_default())
        guard attribute >= 0 else { throw failure("cannot create attribute \(name) on \(objectPath)") }
        defer { H5Aclose(attribute) }
        let status = value.withCString { cString -> herr_t in
            var pointer: UnsafePointer<CChar>? = cString
            return H5Awrite(attribute, type, &pointer)
        }
        guard status >= 0 else { throw failure("cannot write attribute \(name) on \(objectPath)") }
    }

    // MARK: reading

    private func readFailure(_ what: String) -> VesicleIOError {
        .malformed(path: path, reason: what)
    }

    func exists(_ objectPath: String) -> Bool {
        var current = ""
        for component in objectPath.split(separator: "/") {
            current += "/" + component
            if H5Lexists(id, current, vesicle_h5p_default()) <= 0 { return false }
        }
        return true
    }

    /// Names of the links inside the group `groupPath`, in name order.
    func members(of groupPath: String) throws -> [String] {
        guard exists(groupPath) else { throw readFailure("it has no group \(groupPath)") }
        var info = H5G_info_t()
        guard H5Gget_info_by_name(id, groupPath, &info, vesicle_h5p_default()) >= 0 else {
            throw readFailure("\(groupPath) is not a group")
        }
        var names: [String] = []
        for index in 0..<info.nlinks {
            let length = H5Lget_name_by_idx(
                id, groupPath, H5_INDEX_NAME, H5_ITER_INC, index, nil, 0, vesicle_h5p_default())
            guard length >= 0 else { throw readFailure("cannot list \(groupPath)") }
            var buffer = [CChar](repeating: 0, count: Int(length) + 1)
            _ = H5Lget_name_by_idx(
                id, groupPath, H5_INDEX_NAME, H5_ITER_INC, index, &buffer, buffer.count, vesicle_h5p_default())
            names.append(String(decoding: buffer.prefix(Int(length)).map { UInt8(bitPattern: $0) }, as: UTF8.self))
        }
        return names
    }

    /// Reads a 1-D numeric dataset; floating point as `.float64`, non-negative integers as `.uint64`.
    func readDataset(_ datasetPath: String) throws -> NumpyColumn {
        guard exists(datasetPath) else { throw readFailure("it has no dataset \(datasetPath)") }
        let dataset = H5Dopen2(id, datasetPath, vesicle_h5p_default())
        guard dataset >= 0 else { throw readFailure("\(datasetPath) is not a dataset") }
        defer { H5Dclose(dataset) }
        let space = H5Dget_space(dataset)
        defer { H5Sclose(space) }
        guard H5Sget_simple_extent_ndims(space) == 1 else { throw readFailure("\(datasetPath) is not one-dimensional") }
        var dims: [hsize_t] = [0]
        H5Sget_simple_extent_dims(space, &dims, nil)
        let count = Int(dims[0])
        let type = H5Dget_type(dataset)
        defer { H5Tclose(type) }
        switch H5Tget_class(type) {
        case H5T_FLOAT:
            var values = [Double](repeating: 0, count: count)
            if count > 0 {
                let status = values.withUnsafeMutableBufferPointer {
                    H5Dread(dataset, vesicle_h5t_native_double(), vesicle_h5s_all(), vesicle_h5s_all(),
                            vesicle_h5p_default(), $0.baseAddress)
                }
                guard status >= 0 else { throw readFailure("cannot read \(datasetPath)") }
            }
            return .float64(values)
        case H5T_INTEGER:
            var values = [UInt64](repeating: 0, count: count)
            if count > 0 {
                let signed = H5Tget_sign(type) == H5T_SGN_2
                let status = values.withUnsafeMutableBufferPointer {
                    H5Dread(dataset, vesicle_h5t_native_uint64(), vesicle_h5s_all(), vesicle_h5s_all(),
                            vesicle_h5p_default(), $0.baseAddress)
                }
                guard status >= 0 else {
                    throw readFailure(signed ? "\(datasetPath) holds negative indices" : "cannot read \(datasetPath)")
                }
            }
            return .uint64(values)
        default:
            throw readFailure("\(datasetPath) is not numeric")
        }
    }

    /// Reads a string attribute (fixed or variable length); nil when absent.
    func stringAttribute(_ name: String, on objectPath: String) throws -> String? {
        guard exists(objectPath) || objectPath == "/" else { return nil }
        guard H5Aexists_by_name(id, objectPath, name, vesicle_h5p_default()) > 0 else { return nil }
        let attribute = H5Aopen_by_name(id, objectPath, name, vesicle_h5p_default(), vesicle_h5p_default())
        guard attribute >= 0 else { throw readFailure("cannot open attribute \(name) of \(objectPath)") }
        defer { H5Aclose(attribute) }
        let fileType = H5Aget_type(attribute)
        defer { H5Tclose(fileType) }
        guard H5Tget_class(fileType) == H5T_STRING else { throw readFailure("attribute \(name) of \(objectPath) is not text") }
        let memoryType = H5Tcopy(vesicle_h5t_c_s1())
        defer { H5Tclose(memoryType) }
        // HDF5 does not convert between ASCII and UTF-8, so read in the file's character set.
        H5Tset_cset(memoryType, H5Tget_cset(fileType))
        if H5Tis_variable_str(fileType) > 0 {
            H5Tset_size(memoryType, vesicle_h5t_variable())
            var pointer: UnsafeMutablePointer<CChar>? = nil
            guard H5Aread(attribute, memoryType, &pointer) >= 0 else { throw readFailure("cannot read attribute \(name)") }
            guard let pointer else { return "" }
            defer { H5free_memory(pointer) }
            return String(cString: pointer)
        }
        let size = H5Tget_size(fileType)
        H5Tset_size(memoryType, size + 1)
        var buffer = [CChar](repeating: 0, count: size + 1)
        guard H5Aread(attribute, memoryType, &buffer) >= 0 else { throw readFailure("cannot read attribute \(name)") }
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
