// pybind11 glue for calibra.dask's per-partition work on long ratings; the
// algorithm is in <calibra/agreement/detail/long_ratings.hpp>.  Here: numpy
// columns as key_columns, object columns coded (by hash and ==, as a dict
// compares keys) with their values' process-independent hashes, and the
// results as numpy arrays.
//
//   long_slots(keys, rater, levels, ...)   the units' rating multisets:
//       each distinct one (ascending levels, NaN-padded to the widest unit)
//       with its number of units, the raters with a rating, and the
//       problems (a missing key, a (unit, rater) pair twice) as row
//       positions for the caller's message;
//   long_codes(keys, rater)                 dense unit and rater codes;
//   pack_buckets(...)                       rows split into the buckets of
//       their units' hashes, one packed uint8 array each (the shuffle of
//       calibra.dask);
//   reduce_buckets(pieces)                  the multisets of one bucket's
//       pieces;
//   weighted_patterns(stat, rows, counts)   the summary record of units
//       given as distinct rows with multiplicities.
#include "bindings.hpp"

#include <calibra/agreement/detail/long_ratings.hpp>
#include <calibra/error.hpp>

#include <pybind11/eigen.h>
#include <pybind11/numpy.h>
#include <pybind11/stl.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <string>
#include <utility>
#include <vector>

namespace py = pybind11;

namespace calibra::python {
namespace {

namespace ag = calibra::agreement;
namespace dt = calibra::agreement::detail;

struct object_slot {
  Py_hash_t hash = 0;
  PyObject* object = nullptr;
  std::int32_t id = -1;
  std::uint64_t probe_hash() const { return static_cast<std::uint64_t>(hash); }
};

/// Map from Python objects (by hash and ==, as a dict compares keys) to
/// dense ids.  It holds no references: the array being read keeps its
/// objects alive for the duration of the call.
class object_table : public dt::probing_slots<object_slot> {
 public:
  void reset() { clear(capacity_for(0)); }
  std::int32_t intern(PyObject* object, Py_hash_t hash, bool& fresh) {
    for (std::size_t at = first_probe(static_cast<std::uint64_t>(hash));; at = next_probe(at)) {
      object_slot& s = slots_[at];
      if (s.id < 0) {
        s = object_slot{hash, object, count_};
        fresh = true;
        return count_++;
      }
      if (s.hash == hash) {
        const int equal = s.object == object ? 1 : PyObject_RichCompareBool(s.object, object, Py_EQ);
        if (equal < 0) throw py::error_already_set();
        if (equal) {
          fresh = false;
          return s.id;
        }
      }
    }
  }
};

/// The bindings' own per-thread buffers: an object column's codes and the
/// hashes of its values.
struct object_workspace {
  object_table objects;
  std::vector<std::int32_t> codes;
  std::vector<dt::hash_pair> hashes;
};

object_workspace& local_objects() {
  thread_local object_workspace w;
  return w;
}

void release_workspace() {
  dt::release_long_workspace();
  local_objects() = object_workspace{};
}

// A value's hashes, as in long_ratings.hpp: text by its UTF-8 bytes, an
// integer (or an integral float) by its value, another float by its bits,
// any other object by its str().
std::uint64_t hash_text_object(PyObject* text, std::uint64_t seed) {
  Py_ssize_t size = 0;
  const char* bytes = PyUnicode_AsUTF8AndSize(text, &size);
  if (!bytes) throw py::error_already_set();
  return dt::hash_text(bytes, static_cast<std::size_t>(size), seed);
}

std::uint64_t hash_object(PyObject* object, std::uint64_t seed) {
  if (PyUnicode_Check(object)) return hash_text_object(object, seed);
  if (PyLong_Check(object)) {
    int overflow = 0;
    const long long v = PyLong_AsLongLongAndOverflow(object, &overflow);
    if (overflow == 0 && !(v == -1 && PyErr_Occurred())) return dt::hash_integer(static_cast<std::uint64_t>(v), seed);
    PyErr_Clear();
  }
  if (PyFloat_Check(object)) return dt::hash_double(PyFloat_AS_DOUBLE(object), seed);
  PyObject* text = PyObject_Str(object);
  if (!text) throw py::error_already_set();
  const py::object owned = py::reinterpret_steal<py::object>(text);
  return hash_text_object(text, seed ^ 4);
}

/// A numpy column: kept alive by `keep`, read through `view`.
struct numpy_column {
  py::array keep;
  dt::key_column view;
  bool objects = false;
};

numpy_column column_of(const py::handle& values, const std::string& name, bool negative_missing) {
  if (!py::isinstance<py::array>(values))
    throw invalid_argument("python", "column '" + name + "': expected a numpy array; got " +
                                         std::string(py::str(py::type::handle_of(values).attr("__name__"))));
  numpy_column c;
  c.keep = py::reinterpret_borrow<py::array>(values);
  if (c.keep.ndim() != 1)
    throw invalid_argument("python", "column '" + name + "': expected one dimension; got " +
                                         std::to_string(c.keep.ndim()));
  dt::key_column& v = c.view;
  const char kind = c.keep.dtype().kind();
  v.itemsize = static_cast<int>(c.keep.itemsize());
  if (kind == 'O') {
    c.objects = true;
  } else if ((kind == 'i' || kind == 'u') && (v.itemsize == 1 || v.itemsize == 2 || v.itemsize == 4 || v.itemsize == 8)) {
    v.kind = kind;
  } else if (kind == 'b') {
    v.kind = 'u';
  } else if (kind == 'f' && (v.itemsize == 4 || v.itemsize == 8)) {
    v.kind = 'f';
  } else {
    throw invalid_argument("python", "column '" + name + "': dtype " + std::string(py::str(c.keep.dtype())) +
                                         " is not supported here; pass object, integer or float values (or the "
                                         "codes of pandas.factorize)");
  }
  v.name = name;
  v.data = static_cast<const char*>(c.keep.data());
  v.stride = c.keep.strides(0);
  v.size = c.keep.shape(0);
  v.negative_missing = negative_missing;
  return c;
}

/// An object column as codes 0, 1, ... (with its values' hashes when
/// asked), read as a key_column; false with `found` set at the first
/// missing value.
bool code_objects(numpy_column& c, std::int64_t index, const py::tuple& missing_values, bool hashes,
                  dt::long_problem& found) {
  object_workspace& o = local_objects();
  const py::ssize_t n = c.view.size;
  o.objects.reset();
  if (o.codes.size() < static_cast<std::size_t>(n)) o.codes.resize(static_cast<std::size_t>(n));
  o.hashes.clear();
  for (py::ssize_t i = 0; i < n; ++i) {
    PyObject* object = *reinterpret_cast<PyObject* const*>(c.view.data + i * c.view.stride);
    bool absent = object == Py_None || (PyFloat_Check(object) && std::isnan(PyFloat_AS_DOUBLE(object)));
    for (const py::handle na : missing_values) absent = absent || object == na.ptr();
    if (absent) {
      found = dt::long_problem{"missing", index, i, i};
      return false;
    }
    const Py_hash_t hash = PyObject_Hash(object);
    if (hash == -1) {
      const std::string type = Py_TYPE(object)->tp_name;
      PyErr_Clear();
      throw invalid_argument("python", "column '" + c.view.name + "': row position " + std::to_string(i) +
                                           " holds an unhashable " + type + "; a key must be a hashable value");
    }
    bool fresh = false;
    o.codes[static_cast<std::size_t>(i)] = o.objects.intern(object, hash, fresh);
    if (hashes && fresh) o.hashes.push_back({hash_object(object, dt::hash_seed_a), hash_object(object, dt::hash_seed_b)});
  }
  c.view.kind = 'i';
  c.view.itemsize = 4;
  c.view.data = reinterpret_cast<const char*>(o.codes.data());
  c.view.stride = 4;
  c.view.value_hashes = hashes ? &o.hashes : nullptr;
  return true;
}

/// Unit codes (over every key column) and rater codes into the calling
/// thread's long_workspace, with `hashes` each unit's and rater's two
/// hashes.  False at the first missing key.
bool code_rows(const py::list& keys, const py::list& key_codes, const py::handle& rater, bool rater_codes,
               const py::list& names, const py::tuple& missing_values, bool hashes, py::ssize_t& n,
               dt::long_problem& found) {
  if (keys.empty()) throw invalid_argument("python", "long ratings need at least one unit column");
  if (key_codes.size() != keys.size() || names.size() != keys.size() + 1)
    throw invalid_argument("python", "long_slots: keys, key_codes and names (keys, then the rater) do not match");
  std::vector<numpy_column> columns;
  for (std::size_t k = 0; k < keys.size(); ++k)
    columns.push_back(column_of(keys[k], py::str(names[k]), key_codes[k].cast<bool>()));
  columns.push_back(column_of(rater, py::str(names[keys.size()]), rater_codes));
  n = columns[0].view.size;
  for (const numpy_column& c : columns)
    if (c.view.size != n)
      throw invalid_argument("python", "column '" + c.view.name + "' has " + std::to_string(c.view.size) +
                                           " rows; column '" + columns[0].view.name + "' has " + std::to_string(n));
  dt::long_workspace& w = dt::local_long_workspace();
  for (std::size_t k = 0; k < columns.size(); ++k) {
    numpy_column& c = columns[k];
    const auto index = static_cast<std::int64_t>(k);
    if (c.objects && !code_objects(c, index, missing_values, hashes, found)) return false;
    const bool coded = k + 1 < columns.size() ? dt::code_key_column(w, c.view, index, hashes, found)
                                              : dt::code_rater_column(w, c.view, index, hashes, found);
    if (!coded) return false;
  }
  return true;
}

/// Each code's two hashes as two uint64 arrays.
std::pair<py::array_t<std::uint64_t>, py::array_t<std::uint64_t>> hash_arrays(const std::vector<dt::hash_pair>& hashes) {
  py::array_t<std::uint64_t> a(static_cast<py::ssize_t>(hashes.size())), b(static_cast<py::ssize_t>(hashes.size()));
  std::uint64_t* pa = a.mutable_data();
  std::uint64_t* pb = b.mutable_data();
  for (const dt::hash_pair& h : hashes) {
    *pa++ = h.a;
    *pb++ = h.b;
  }
  return {a, b};
}

py::object problem_object(const dt::long_problem& p) {
  if (p.what.empty()) return py::none();
  return py::make_tuple(p.what, p.column, p.first, p.second);
}

template <class T>
py::array_t<T> to_array(const std::vector<T>& v, std::size_t n) {
  py::array_t<T> out(static_cast<py::ssize_t>(n));
  if (n) std::memcpy(out.mutable_data(), v.data(), n * sizeof(T));
  return out;
}

/// The levels: one float64 a row.
py::array_t<double> levels_of(const py::handle& levels_in, py::ssize_t n, const py::list& names) {
  if (!py::isinstance<py::array_t<double>>(levels_in) || py::reinterpret_borrow<py::array>(levels_in).ndim() != 1 ||
      !py::reinterpret_borrow<py::array>(levels_in).dtype().is(py::dtype::of<double>()))
    throw invalid_argument("python", "levels: expected a one-dimensional float64 array");
  const auto levels = py::reinterpret_borrow<py::array_t<double>>(levels_in);
  if (levels.shape(0) != n)
    throw invalid_argument("python", "levels have " + std::to_string(levels.shape(0)) + " rows; column '" +
                                         py::str(names[0]).cast<std::string>() + "' has " + std::to_string(n));
  return levels;
}

/// The multisets as a (distinct, width) float64 array (column-major, as
/// the summaries read it) and their weights.
void put_multisets(py::dict& out, const dt::unit_multisets& m) {
  const std::size_t n_distinct = m.n_distinct();
  py::array_t<double, py::array::f_style> rows(
      {static_cast<py::ssize_t>(n_distinct), static_cast<py::ssize_t>(m.width)});
  double* r = rows.mutable_data();
  for (std::size_t d = 0; d < n_distinct; ++d)
    for (std::size_t j = 0; j < m.width; ++j) r[j * n_distinct + d] = m.rows[d * m.width + j];
  out["rows"] = rows;
  out["weights"] = to_array(m.weights, n_distinct);
  out["units"] = m.units;
}

py::dict long_slots(const py::list& keys, const py::list& key_codes, const py::handle& rater, bool rater_codes,
                    const py::handle& levels_in, const py::list& names, const py::tuple& missing_values,
                    std::int64_t min_width, bool unit_rows, bool hashes) {
  py::dict out;
  dt::long_problem found;
  py::ssize_t n = 0;
  const bool coded = code_rows(keys, key_codes, rater, rater_codes, names, missing_values, hashes, n, found);
  out["problem"] = problem_object(found);
  if (!coded) return out;
  const auto levels = levels_of(levels_in, n, names);
  dt::long_workspace& w = dt::local_long_workspace();
  const py::ssize_t level_stride = levels.strides(0) / static_cast<py::ssize_t>(sizeof(double));
  bool reduced = false;
  {
    // Only the workspace and the levels' buffer from here: other threads
    // of a Dask worker may run Python meanwhile.
    py::gil_scoped_release released;
    reduced = dt::reduce_units(w, n, levels.data(), level_stride,
                               static_cast<std::size_t>(std::max<std::int64_t>(min_width, 1)), found);
  }
  if (!reduced) {
    out["problem"] = problem_object(found);
    return out;
  }
  put_multisets(out, w.multisets);
  out["rated_rows"] = to_array(w.multisets.rated_rows, w.multisets.rated_rows.size());
  if (unit_rows) out["unit_rows"] = to_array(w.unit_rows, w.unit_rows.size());
  if (hashes) {
    auto [h1, h2] = hash_arrays(w.unit_hashes);
    out["unit_h1"] = h1;
    out["unit_h2"] = h2;
  }
  return out;
}

py::dict long_codes(const py::list& keys, const py::list& key_codes, const py::handle& rater, bool rater_codes,
                    const py::list& names, const py::tuple& missing_values, bool hashes) {
  py::dict out;
  dt::long_problem found;
  py::ssize_t n = 0;
  const bool coded = code_rows(keys, key_codes, rater, rater_codes, names, missing_values, hashes, n, found);
  out["problem"] = problem_object(found);
  if (!coded) return out;
  dt::long_workspace& w = dt::local_long_workspace();
  out["unit"] = to_array(w.unit, static_cast<std::size_t>(n));
  out["unit_rows"] = to_array(w.unit_rows, w.unit_rows.size());
  out["rater"] = to_array(w.rater, static_cast<std::size_t>(n));
  out["rater_rows"] = to_array(w.rater_rows, w.rater_rows.size());
  if (hashes) {
    auto [h1, h2] = hash_arrays(w.unit_hashes);
    out["unit_h1"] = h1;
    out["unit_h2"] = h2;
    auto [r1, r2] = hash_arrays(w.rater_hashes);
    out["rater_h1"] = r1;
    out["rater_h2"] = r2;
  }
  return out;
}

/// Per code, the two hashes given as two uint64 arrays (one value per code).
std::vector<dt::hash_pair> given_hashes(const py::handle& given, std::size_t codes, const char* what) {
  const auto pair = given.cast<std::pair<py::array_t<std::uint64_t, py::array::c_style | py::array::forcecast>,
                                         py::array_t<std::uint64_t, py::array::c_style | py::array::forcecast>>>();
  if (static_cast<std::size_t>(pair.first.shape(0)) != codes || static_cast<std::size_t>(pair.second.shape(0)) != codes)
    throw invalid_argument("python", std::string("pack_buckets: ") + what + " hashes: two arrays of one hash per code (" +
                                         std::to_string(codes) + " codes)");
  std::vector<dt::hash_pair> out(codes);
  for (std::size_t k = 0; k < codes; ++k) out[k] = {pair.first.data()[k], pair.second.data()[k]};
  return out;
}

py::dict pack_buckets(const py::list& keys, const py::list& key_codes, const py::handle& rater, bool rater_codes,
                      const py::handle& levels_in, const py::list& names, const py::tuple& missing_values,
                      std::int64_t n_buckets, const py::object& unit_hashes, const py::object& rater_hashes) {
  if (n_buckets < 1) throw invalid_argument("python", "pack_buckets: n_buckets must be 1 or more");
  if (unit_hashes.is_none() != rater_hashes.is_none())
    throw invalid_argument("python", "pack_buckets: give the hashes of both the units and the raters, or neither");
  const bool given = !unit_hashes.is_none();
  py::dict out;
  dt::long_problem found;
  py::ssize_t n = 0;
  const bool coded = code_rows(keys, key_codes, rater, rater_codes, names, missing_values, !given, n, found);
  out["problem"] = problem_object(found);
  if (!coded) return out;
  const auto levels = levels_of(levels_in, n, names);
  if (levels.strides(0) != static_cast<py::ssize_t>(sizeof(double)))
    throw invalid_argument("python", "levels: expected a contiguous array");
  dt::long_workspace& w = dt::local_long_workspace();
  std::vector<dt::hash_pair> units_given, raters_given;
  if (given) {
    units_given = given_hashes(unit_hashes, w.unit_rows.size(), "unit");
    raters_given = given_hashes(rater_hashes, w.rater_rows.size(), "rater");
  }
  dt::bucket_rows rows;
  rows.n = n;
  rows.unit = w.unit.data();
  rows.rater = w.rater.data();
  rows.levels = levels.data();
  rows.n_units = w.unit_rows.size();
  rows.n_raters = w.rater_rows.size();
  rows.unit_hashes = given ? units_given.data() : w.unit_hashes.data();
  rows.rater_hashes = given ? raters_given.data() : w.rater_hashes.data();
  std::vector<std::size_t> sizes;
  {
    py::gil_scoped_release released;
    sizes = dt::plan_buckets(w, rows, static_cast<std::size_t>(n_buckets));
  }
  py::list pieces;
  std::vector<std::uint8_t*> at;
  for (const std::size_t size : sizes) {
    py::array_t<std::uint8_t> piece(static_cast<py::ssize_t>(size));
    at.push_back(piece.mutable_data());
    pieces.append(piece);
  }
  {
    py::gil_scoped_release released;
    dt::write_buckets(w, rows, at);
  }
  out["pieces"] = pieces;
  return out;
}

py::dict reduce_buckets(const py::list& pieces, std::int64_t min_width) {
  std::vector<dt::packed_piece> views;
  for (const py::handle piece : pieces) {
    if (!py::isinstance<py::array_t<std::uint8_t>>(piece))
      throw invalid_argument("python", "reduce_buckets: expected uint8 arrays from pack_buckets");
    const auto array = py::reinterpret_borrow<py::array>(piece);
    if (array.ndim() != 1 || !array.dtype().is(py::dtype::of<std::uint8_t>()) || array.strides(0) != 1)
      throw invalid_argument("python", "reduce_buckets: expected contiguous one-dimensional uint8 arrays");
    views.push_back({static_cast<const std::uint8_t*>(array.data()), static_cast<std::size_t>(array.shape(0))});
  }
  py::dict out;
  dt::long_problem found;
  dt::long_workspace& w = dt::local_long_workspace();
  bool reduced = false;
  {
    py::gil_scoped_release released;  // `pieces` keeps the buffers alive
    reduced = dt::reduce_buckets(w, views, static_cast<std::size_t>(std::max<std::int64_t>(min_width, 1)), found);
  }
  if (!reduced) {
    // "twice": the unit's and the rater's first hashes, as unsigned numbers.
    out["problem"] = found.what == "twice"
                         ? py::make_tuple(found.what, found.column, static_cast<std::uint64_t>(found.first),
                                          static_cast<std::uint64_t>(found.second))
                         : problem_object(found);
    return out;
  }
  out["problem"] = py::none();
  put_multisets(out, w.multisets);
  py::array_t<std::uint64_t> rated({static_cast<py::ssize_t>(w.multisets.rated_raters.size()), py::ssize_t{2}});
  std::uint64_t* r = rated.mutable_data();
  for (const dt::hash_pair& h : w.multisets.rated_raters) {
    *r++ = h.a;
    *r++ = h.b;
  }
  out["rated"] = rated;
  return out;
}

py::tuple weighted_patterns(const std::string& stat, const Eigen::Ref<const Eigen::MatrixXd>& rows,
                            const Eigen::Ref<const Eigen::VectorXd>& counts, const py::kwargs& kwargs) {
  const ag::statistic parsed = ag::parse_statistic(stat);
  const ag::options opts = options_from_kwargs(kwargs);
  dt::weighted_patterns_record record;
  {
    py::gil_scoped_release released;
    record = dt::weighted_patterns(parsed, rows, counts, opts);
  }
  py::list listed;
  for (const auto& [key, count] : record.patterns) listed.append(py::make_tuple(py::tuple(py::cast(key)), count));
  return py::make_tuple(listed, record.units, record.dropped);
}

}  // namespace

void register_dask(py::module_& m) {
  m.def("long_slots", &long_slots, py::arg("keys"), py::arg("key_codes"), py::arg("rater"), py::arg("rater_codes"),
        py::arg("levels"), py::kw_only(), py::arg("names"), py::arg("missing_values") = py::tuple(),
        py::arg("min_width") = 1, py::arg("unit_rows") = false, py::arg("hashes") = false,
        "Long ratings of one partition -> {'rows': each distinct multiset of a unit's levels (ascending, NaN-padded "
        "to the widest unit), 'weights': its number of units, 'units', 'rated_rows': the first row with a level of "
        "each rater that has one, 'unit_rows' (when asked): each unit's first row, 'problem': None or (what, column, "
        "row, row)}, with hashes=True 'unit_h1' and 'unit_h2' (see long_codes).  Key and rater columns: object, "
        "integer or float numpy arrays (key_codes/rater_codes: a negative value is missing); levels: float64 (NaN "
        "missing).");
  m.def("long_codes", &long_codes, py::arg("keys"), py::arg("key_codes"), py::arg("rater"), py::arg("rater_codes"),
        py::kw_only(), py::arg("names"), py::arg("missing_values") = py::tuple(), py::arg("hashes") = false,
        "Dense int32 unit and rater codes of long ratings, with each code's first row, or the first missing key; "
        "with hashes=True also 'unit_h1', 'unit_h2', 'rater_h1' and 'rater_h2' (two independent 64-bit hashes of "
        "each unit's key values and of each rater), which agree between processes.");
  m.def("pack_buckets", &pack_buckets, py::arg("keys"), py::arg("key_codes"), py::arg("rater"), py::arg("rater_codes"),
        py::arg("levels"), py::kw_only(), py::arg("names"), py::arg("missing_values") = py::tuple(),
        py::arg("n_buckets"), py::arg("unit_hashes") = py::none(), py::arg("rater_hashes") = py::none(),
        "Long ratings (as long_slots takes them) -> {'pieces': per bucket (a unit's first hash % n_buckets) one "
        "packed uint8 array: per unit its two hashes and number of ratings, per rating a code into the bucket's "
        "rater table (two hashes a rater) and level table; 'problem' as long_slots}.  The hashes are those of "
        "long_codes(hashes=True), or given (for codes): unit_hashes and rater_hashes, each two uint64 arrays with "
        "one value per code as long_codes numbers them.");
  m.def("reduce_buckets", &reduce_buckets, py::arg("pieces"), py::kw_only(), py::arg("min_width") = 1,
        "The pieces of one bucket (from pack_buckets) -> {'rows', 'weights', 'units' as long_slots, 'rated': the "
        "two hashes of each rater with a level, 'problem': None, ('twice', -1, unit hash, rater hash) or "
        "('collision', 0 for units or 1 for raters, piece, -1) for a first hash naming two}.");
  m.def("release_workspace", &release_workspace,
        "Frees the buffers the calling thread keeps for the next long_slots/long_codes/bucket call.");
  m.def("weighted_patterns", &weighted_patterns, py::arg("stat"), py::arg("rows"), py::arg("counts"),
        "(patterns, units, dropped) of the summary record of units given as distinct rows with their counts.");
}

}  // namespace calibra::python
