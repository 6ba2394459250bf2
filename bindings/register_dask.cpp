// The per-partition work of calibra.dask for long ratings, in one compiled
// pass that touches little fresh memory.
//
// A Dask worker runs with MALLOC_TRIM_THRESHOLD_ set, which fixes glibc's
// mmap threshold at 128 KiB: every larger temporary is a fresh mapping whose
// pages fault in again, and a partition task built from numpy and pandas
// temporaries spends most of its time there.  These functions read the
// partition's columns where they lie (object, integer or float arrays) and
// need only three int32 arrays a row and hash tables, kept in a per-thread
// workspace that the next call reuses, so its pages fault in once;
// release_workspace() frees it (calibra.dask does when a worker is past half
// its memory limit).
//
//   long_slots(keys, rater, levels, ...)   the units' rating multisets:
//       each distinct one (ascending levels, NaN-padded to the widest unit)
//       with its number of units, the raters with a rating, and the
//       problems (a missing key, a (unit, rater) pair twice, a unit whose
//       check value varies) as row positions for the caller's message;
//   long_codes(keys, rater)                 dense unit and rater codes;
//   scatter_buckets(...)                    rows split into the buckets of
//       their units' hashes, one compact array each (the shuffle of
//       calibra.dask);
//   weighted_patterns(stat, rows, counts)   the summary record of units
//       given as distinct rows with multiplicities.
#include "bindings.hpp"

#include <calibra/agreement/mergeable.hpp>
#include <calibra/error.hpp>

#include <pybind11/eigen.h>
#include <pybind11/numpy.h>
#include <pybind11/stl.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <map>
#include <string>
#include <utility>
#include <vector>

namespace py = pybind11;

namespace calibra::python {
namespace {

namespace ag = calibra::agreement;

std::uint64_t mix64(std::uint64_t x) {
  x ^= x >> 30;
  x *= 0xbf58476d1ce4e5b9ULL;
  x ^= x >> 27;
  x *= 0x94d049bb133111ebULL;
  x ^= x >> 31;
  return x;
}

std::size_t capacity_for(std::size_t entries) {
  std::size_t cap = 1024;
  while (cap < 2 * entries) cap <<= 1;
  return cap;
}

/// The storage both tables below share: open addressing with linear
/// probing, doubled when half full, over slots whose id is -1 when empty
/// and whose probe_hash() places them.  The slots keep their capacity
/// between uses.
template <class Slot>
class probing_slots {
 public:
  std::int32_t size() const { return count_; }

 protected:
  void clear(std::size_t capacity) {
    cap_ = capacity;
    if (slots_.size() < cap_) slots_.resize(cap_);
    std::fill_n(slots_.begin(), cap_, Slot{});
    count_ = 0;
  }
  /// Where the probe for `hash` starts, after making room for one more.
  std::size_t first_probe(std::uint64_t hash) {
    if (2 * static_cast<std::size_t>(count_ + 1) > cap_) grow();
    return mix64(hash) & (cap_ - 1);
  }
  std::size_t next_probe(std::size_t at) const { return (at + 1) & (cap_ - 1); }

  std::vector<Slot> slots_;
  std::int32_t count_ = 0;

 private:
  void grow() {
    // The old slots, in a temporary: a table keeps only its own slots.
    const std::vector<Slot> spare(slots_.begin(), slots_.begin() + static_cast<std::ptrdiff_t>(cap_));
    clear(2 * cap_);
    for (const Slot& old : spare) {
      if (old.id < 0) continue;
      std::size_t at = mix64(old.probe_hash()) & (cap_ - 1);
      while (slots_[at].id >= 0) at = next_probe(at);
      slots_[at] = old;
      ++count_;
    }
  }
  std::size_t cap_ = 0;
};

struct key_slot {
  std::uint64_t key = 0;
  std::int32_t id = -1;
  std::uint64_t probe_hash() const { return key; }
};

/// Open-addressing map from 64-bit keys to dense ids 0, 1, 2, ...
class id_table : public probing_slots<key_slot> {
 public:
  void reset(std::size_t expected) { clear(capacity_for(expected)); }
  /// The id of `key`; `fresh` tells whether it was new.
  std::int32_t intern(std::uint64_t key, bool& fresh) {
    for (std::size_t at = first_probe(key);; at = next_probe(at)) {
      key_slot& s = slots_[at];
      if (s.id < 0) {
        s = key_slot{key, count_};
        fresh = true;
        return count_++;
      }
      if (s.key == key) {
        fresh = false;
        return s.id;
      }
    }
  }
};

struct object_slot {
  Py_hash_t hash = 0;
  PyObject* object = nullptr;
  std::int32_t id = -1;
  std::uint64_t probe_hash() const { return static_cast<std::uint64_t>(hash); }
};

/// Open-addressing map from Python objects (by hash and ==, as a dict
/// compares keys) to dense ids.  It holds no references: the array being
/// read keeps its objects alive for the duration of the call.
class object_table : public probing_slots<object_slot> {
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

/// Two independent 64-bit hashes of one value or unit.
struct hash_pair {
  std::uint64_t a, b;
};

/// Buffers shared by the calls on one thread until release_workspace().
struct workspace {
  std::vector<std::int32_t> unit, rater, start, order;
  std::vector<std::int64_t> unit_rows, rater_rows, seen_row, rated_row;
  std::vector<std::int32_t> seen_unit;
  std::vector<double> distinct, values;
  std::vector<double> weights;
  std::vector<hash_pair> value_hashes, stage_hashes, unit_hashes, rater_hashes;
  id_table ids, pairs, rows_by_hash;
  object_table objects;
};

workspace& local_workspace() {
  thread_local workspace w;
  return w;
}

/// Frees the calling thread's workspace.
void release_workspace() { local_workspace() = workspace{}; }

template <class T>
void sized(std::vector<T>& v, std::size_t n) {
  if (v.size() < n) v.resize(n);
}

/// One column read as it lies: its kind and where its values are.
struct column_view {
  std::string name;
  char kind = 0;  // 'O' objects, 'i' signed, 'u' unsigned or bool, 'f' floating
  int itemsize = 0;
  const char* data = nullptr;
  py::ssize_t stride = 0;
  py::ssize_t size = 0;
  bool negative_missing = false;  // category codes: -1 is a missing value
  py::array keep;                 // holds the array alive
};

column_view view_of(const py::handle& values, const std::string& name, bool negative_missing) {
  if (!py::isinstance<py::array>(values))
    throw invalid_argument("python", "column '" + name + "': expected a numpy array; got " +
                                         std::string(py::str(py::type::handle_of(values).attr("__name__"))));
  column_view v;
  v.keep = py::reinterpret_borrow<py::array>(values);
  if (v.keep.ndim() != 1)
    throw invalid_argument("python", "column '" + name + "': expected one dimension; got " +
                                         std::to_string(v.keep.ndim()));
  const char kind = v.keep.dtype().kind();
  v.itemsize = static_cast<int>(v.keep.itemsize());
  if (kind == 'O') {
    v.kind = 'O';
  } else if ((kind == 'i' || kind == 'u') && (v.itemsize == 1 || v.itemsize == 2 || v.itemsize == 4 || v.itemsize == 8)) {
    v.kind = kind;
  } else if (kind == 'b') {
    v.kind = 'u';
  } else if (kind == 'f' && (v.itemsize == 4 || v.itemsize == 8)) {
    v.kind = 'f';
  } else {
    throw invalid_argument("python", "column '" + name + "': dtype " + std::string(py::str(v.keep.dtype())) +
                                         " is not supported here; pass object, integer or float values (or the "
                                         "codes of pandas.factorize)");
  }
  v.name = name;
  v.data = static_cast<const char*>(v.keep.data());
  v.stride = v.keep.strides(0);
  v.size = v.keep.shape(0);
  v.negative_missing = negative_missing;
  return v;
}

/// A problem found in the data, as row positions: the caller words it.
struct problem {
  std::string what;  // "", "missing", "twice", "collision"
  std::int64_t column = -1;
  std::int64_t first = -1, second = -1;
};

/// The 64-bit key of row i of a non-object column, or false when missing.
bool number_key(const column_view& c, py::ssize_t i, std::uint64_t& key) {
  const char* p = c.data + i * c.stride;
  if (c.kind == 'f') {
    double x = 0;
    if (c.itemsize == 8) {
      std::memcpy(&x, p, 8);
    } else {
      float f = 0;
      std::memcpy(&f, p, 4);
      x = f;
    }
    if (std::isnan(x)) return false;
    if (x == 0) x = 0;  // -0.0 and 0.0 are one value
    std::memcpy(&key, &x, 8);
    return true;
  }
  std::int64_t s = 0;
  std::uint64_t u = 0;
  switch (c.itemsize) {
    case 1: { std::int8_t a; std::memcpy(&a, p, 1); s = a; u = static_cast<std::uint8_t>(a); break; }
    case 2: { std::int16_t a; std::memcpy(&a, p, 2); s = a; u = static_cast<std::uint16_t>(a); break; }
    case 4: { std::int32_t a; std::memcpy(&a, p, 4); s = a; u = static_cast<std::uint32_t>(a); break; }
    default: { std::memcpy(&s, p, 8); std::memcpy(&u, p, 8); break; }
  }
  if (c.kind == 'i') {
    if (c.negative_missing && s < 0) return false;
    key = static_cast<std::uint64_t>(s);
  } else {
    key = u;
  }
  return true;
}

// ---- hashes of key values that agree between processes -------------------
// Python's own hash of a string changes from one process to the next, so the
// hashes that name a unit across Dask workers come from the value: a string
// by its UTF-8 bytes, an integer (or an integral float, or a bool) by its
// value, another float by its bits, any other object by its str().  Two seeds
// give two independent hashes.

constexpr std::uint64_t seed_a = 0x243F6A8885A308D3ULL;
constexpr std::uint64_t seed_b = 0x13198A2E03707344ULL;

std::uint64_t hash_bytes(const char* p, std::size_t n, std::uint64_t seed) {
  std::uint64_t h = mix64(seed ^ (0x9E3779B97F4A7C15ULL * (n + 1)));
  for (; n >= 8; p += 8, n -= 8) {
    std::uint64_t word = 0;
    std::memcpy(&word, p, 8);
    h = mix64((h ^ word) + seed);
  }
  std::uint64_t tail = 0;
  std::memcpy(&tail, p, n);
  return mix64((h ^ tail) + seed + n);
}

std::uint64_t hash_integer(std::uint64_t value, std::uint64_t seed) { return mix64(mix64(seed ^ 2) ^ value); }

std::uint64_t hash_double(double x, std::uint64_t seed) {
  if (std::isfinite(x) && x == std::floor(x) && std::fabs(x) < 9.2e18)
    return hash_integer(static_cast<std::uint64_t>(static_cast<std::int64_t>(x)), seed);
  std::uint64_t bits = 0;
  std::memcpy(&bits, &x, 8);
  return mix64(mix64(seed ^ 3) ^ bits);
}

std::uint64_t hash_text(PyObject* text, std::uint64_t seed) {
  Py_ssize_t size = 0;
  const char* bytes = PyUnicode_AsUTF8AndSize(text, &size);
  if (!bytes) throw py::error_already_set();
  return hash_bytes(bytes, static_cast<std::size_t>(size), seed ^ 1);
}

std::uint64_t hash_object(PyObject* object, std::uint64_t seed) {
  if (PyUnicode_Check(object)) return hash_text(object, seed);
  if (PyLong_Check(object)) {
    int overflow = 0;
    const long long v = PyLong_AsLongLongAndOverflow(object, &overflow);
    if (overflow == 0 && !(v == -1 && PyErr_Occurred())) return hash_integer(static_cast<std::uint64_t>(v), seed);
    PyErr_Clear();
  }
  if (PyFloat_Check(object)) return hash_double(PyFloat_AS_DOUBLE(object), seed);
  PyObject* text = PyObject_Str(object);
  if (!text) throw py::error_already_set();
  const py::object owned = py::reinterpret_steal<py::object>(text);
  return hash_text(text, seed ^ 4);
}

std::uint64_t hash_number(const column_view& c, std::uint64_t key, std::uint64_t seed) {
  if (c.kind == 'f') {
    double x = 0;
    std::memcpy(&x, &key, 8);
    return hash_double(x, seed);
  }
  if (c.kind == 'u' && key > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max()))
    return hash_double(static_cast<double>(key), seed);
  return hash_integer(key, seed);
}

std::uint64_t combine(std::uint64_t a, std::uint64_t b) { return mix64(a * 0x9E3779B97F4A7C15ULL + b); }

/// Codes 0, 1, ... of one column's distinct values into `out` (row order
/// of first appearance) and, per code, the row where it first appears;
/// with `hashes`, per code the two hashes of its value (combined with the
/// previous key columns' when `combine`).  False (with the problem set) at
/// the first missing value.
bool code_column(const column_view& c, std::int64_t index, const py::tuple& missing_values,
                 std::vector<std::int32_t>& out, std::vector<std::int64_t>& first_rows, bool combine_keys,
                 std::vector<hash_pair>* hashes, problem& found) {
  workspace& w = local_workspace();
  const py::ssize_t n = c.size;
  bool fresh = false, fresh_value = false;
  if (hashes && c.negative_missing)
    throw invalid_argument("python", "column '" + c.name + "': codes have no value to hash; pass the values");
  if (c.kind == 'O') w.objects.reset();
  else w.ids.reset(0);
  if (combine_keys) w.pairs.reset(0);
  first_rows.clear();
  std::vector<hash_pair>& value_hashes = w.value_hashes;
  std::vector<hash_pair>& previous = w.stage_hashes;
  if (hashes) {
    value_hashes.clear();
    if (combine_keys) previous.swap(*hashes);
    hashes->clear();
  }
  for (py::ssize_t i = 0; i < n; ++i) {
    std::int32_t id = 0;
    if (c.kind == 'O') {
      PyObject* object = *reinterpret_cast<PyObject* const*>(c.data + i * c.stride);
      bool absent = object == Py_None || (PyFloat_Check(object) && std::isnan(PyFloat_AS_DOUBLE(object)));
      for (const py::handle na : missing_values) absent = absent || object == na.ptr();
      if (absent) {
        found = problem{"missing", index, i, i};
        return false;
      }
      const Py_hash_t hash = PyObject_Hash(object);
      if (hash == -1) {
        const std::string type = Py_TYPE(object)->tp_name;
        PyErr_Clear();
        throw invalid_argument("python", "column '" + c.name + "': row position " + std::to_string(i) +
                                             " holds an unhashable " + type + "; a key must be a hashable value");
      }
      id = w.objects.intern(object, hash, fresh_value);
      if (hashes && fresh_value) value_hashes.push_back({hash_object(object, seed_a), hash_object(object, seed_b)});
    } else {
      std::uint64_t key = 0;
      if (!number_key(c, i, key)) {
        found = problem{"missing", index, i, i};
        return false;
      }
      id = w.ids.intern(key, fresh_value);
      if (hashes && fresh_value) value_hashes.push_back({hash_number(c, key, seed_a), hash_number(c, key, seed_b)});
    }
    fresh = fresh_value;
    if (combine_keys) {
      const auto before = static_cast<std::uint32_t>(out[static_cast<std::size_t>(i)]);
      const std::uint64_t pair = (static_cast<std::uint64_t>(before) << 32) | static_cast<std::uint32_t>(id);
      const std::int32_t value = id;
      id = w.pairs.intern(pair, fresh);
      if (hashes && fresh)
        hashes->push_back({combine(previous[before].a, value_hashes[static_cast<std::size_t>(value)].a),
                           combine(previous[before].b, value_hashes[static_cast<std::size_t>(value)].b)});
    } else if (hashes && fresh) {
      hashes->push_back(value_hashes[static_cast<std::size_t>(id)]);
    }
    out[static_cast<std::size_t>(i)] = id;
    if (fresh) first_rows.push_back(i);
  }
  return true;
}

/// Unit codes (over every key column) into w.unit and w.unit_rows, rater
/// codes into w.rater and w.rater_rows, and with `hashes` the two hashes of
/// each unit and of each rater into w.unit_hashes and w.rater_hashes.
/// False at the first missing key.
bool code_rows(const py::list& keys, const py::list& key_codes, const py::handle& rater, bool rater_codes,
               const py::list& names, const py::tuple& missing_values, bool hashes, py::ssize_t& n, problem& found) {
  if (keys.empty()) throw invalid_argument("python", "long ratings need at least one unit column");
  if (key_codes.size() != keys.size() || names.size() != keys.size() + 1)
    throw invalid_argument("python", "long_slots: keys, key_codes and names (keys, then the rater) do not match");
  std::vector<column_view> columns;
  for (std::size_t k = 0; k < keys.size(); ++k)
    columns.push_back(view_of(keys[k], py::str(names[k]), key_codes[k].cast<bool>()));
  columns.push_back(view_of(rater, py::str(names[keys.size()]), rater_codes));
  n = columns[0].size;
  for (const column_view& c : columns)
    if (c.size != n)
      throw invalid_argument("python", "column '" + c.name + "' has " + std::to_string(c.size) + " rows; column '" +
                                           columns[0].name + "' has " + std::to_string(n));
  workspace& w = local_workspace();
  sized(w.unit, static_cast<std::size_t>(n));
  sized(w.rater, static_cast<std::size_t>(n));
  for (std::size_t k = 0; k + 1 < columns.size(); ++k)
    if (!code_column(columns[k], static_cast<std::int64_t>(k), missing_values, w.unit, w.unit_rows, k > 0,
                     hashes ? &w.unit_hashes : nullptr, found))
      return false;
  return code_column(columns.back(), static_cast<std::int64_t>(keys.size()), missing_values, w.rater, w.rater_rows,
                     false, hashes ? &w.rater_hashes : nullptr, found);
}

/// Each code's two hashes as two uint64 arrays.
std::pair<py::array_t<std::uint64_t>, py::array_t<std::uint64_t>> hash_arrays(const std::vector<hash_pair>& hashes) {
  py::array_t<std::uint64_t> a(static_cast<py::ssize_t>(hashes.size())), b(static_cast<py::ssize_t>(hashes.size()));
  std::uint64_t* pa = a.mutable_data();
  std::uint64_t* pb = b.mutable_data();
  for (const hash_pair& h : hashes) {
    *pa++ = h.a;
    *pb++ = h.b;
  }
  return {a, b};
}

py::object problem_object(const problem& p) {
  if (p.what.empty()) return py::none();
  return py::make_tuple(p.what, p.column, p.first, p.second);
}

template <class T>
py::array_t<T> to_array(const std::vector<T>& v, std::size_t n) {
  py::array_t<T> out(static_cast<py::ssize_t>(n));
  if (n) std::memcpy(out.mutable_data(), v.data(), n * sizeof(T));
  return out;
}

py::dict long_slots(const py::list& keys, const py::list& key_codes, const py::handle& rater, bool rater_codes,
                    const py::handle& levels_in, const py::list& names, const py::tuple& missing_values,
                    std::int64_t min_width, const py::object& check_in, bool unit_rows, bool hashes) {
  py::dict out;
  problem found;
  py::ssize_t n = 0;
  const bool coded = code_rows(keys, key_codes, rater, rater_codes, names, missing_values, hashes, n, found);
  out["problem"] = problem_object(found);
  if (!coded) return out;
  if (!py::isinstance<py::array_t<double>>(levels_in) || py::reinterpret_borrow<py::array>(levels_in).ndim() != 1 ||
      !py::reinterpret_borrow<py::array>(levels_in).dtype().is(py::dtype::of<double>()))
    throw invalid_argument("python", "levels: expected a one-dimensional float64 array");
  const auto levels = py::reinterpret_borrow<py::array_t<double>>(levels_in);
  if (levels.shape(0) != n)
    throw invalid_argument("python", "levels have " + std::to_string(levels.shape(0)) + " rows; column '" +
                                         py::str(names[0]).cast<std::string>() + "' has " + std::to_string(n));
  column_view check;
  const bool checking = !check_in.is_none();
  if (checking) {
    check = view_of(check_in, "check", false);
    if (check.size != n) throw invalid_argument("python", "check: not one value per row");
  }
  workspace& w = local_workspace();
  const auto n_units = static_cast<std::size_t>(w.unit_rows.size());
  const auto n_raters = static_cast<std::size_t>(w.rater_rows.size());
  // Rows by unit (a counting sort, stable).
  sized(w.start, n_units + 1);
  std::fill_n(w.start.begin(), n_units + 1, 0);
  for (py::ssize_t i = 0; i < n; ++i) ++w.start[static_cast<std::size_t>(w.unit[static_cast<std::size_t>(i)]) + 1];
  std::int64_t width = std::max<std::int64_t>(min_width, 1);
  for (std::size_t u = 0; u < n_units; ++u) {
    width = std::max<std::int64_t>(width, w.start[u + 1]);
    w.start[u + 1] += w.start[u];
  }
  sized(w.order, static_cast<std::size_t>(n));
  sized(w.seen_unit, n_units);  // next free place of each unit
  std::copy_n(w.start.begin(), n_units, w.seen_unit.begin());
  for (py::ssize_t i = 0; i < n; ++i)
    w.order[static_cast<std::size_t>(w.seen_unit[static_cast<std::size_t>(w.unit[static_cast<std::size_t>(i)])]++)] =
        static_cast<std::int32_t>(i);
  // Per unit: a rater twice, the check value, the multiset of its levels.
  sized(w.seen_row, n_raters);
  sized(w.rated_row, n_raters);
  std::fill_n(w.rated_row.begin(), n_raters, std::int64_t{-1});
  std::vector<std::int32_t>& stamp = w.seen_unit;  // reused: the last unit that saw each rater
  sized(stamp, std::max(n_units, n_raters));
  std::fill_n(stamp.begin(), n_raters, -1);
  const double* level = levels.data();
  const py::ssize_t level_stride = levels.strides(0) / static_cast<py::ssize_t>(sizeof(double));
  const auto w_size = static_cast<std::size_t>(width);
  w.distinct.clear();
  w.weights.clear();
  w.rows_by_hash.reset(0);
  std::vector<double>& values = w.values;
  values.assign(w_size, std::numeric_limits<double>::quiet_NaN());
  for (std::size_t u = 0; u < n_units && found.what.empty(); ++u) {
    std::size_t m = 0;
    std::uint64_t check_key = 0;
    for (std::int32_t at = w.start[u]; at < w.start[u + 1]; ++at) {
      const std::int32_t i = w.order[static_cast<std::size_t>(at)];
      const auto r = static_cast<std::size_t>(w.rater[static_cast<std::size_t>(i)]);
      if (stamp[r] == static_cast<std::int32_t>(u)) {
        found = problem{"twice", -1, w.seen_row[r], i};
        break;
      }
      stamp[r] = static_cast<std::int32_t>(u);
      w.seen_row[r] = i;
      if (checking) {
        std::uint64_t key = 0;
        number_key(check, i, key);
        if (at == w.start[u]) {
          check_key = key;
        } else if (key != check_key) {
          found = problem{"collision", -1, w.order[static_cast<std::size_t>(w.start[u])], i};
          break;
        }
      }
      const double x = level[i * level_stride];
      if (std::isnan(x)) continue;
      if (w.rated_row[r] < 0 || w.rated_row[r] > i) w.rated_row[r] = i;
      values[m++] = x;
    }
    std::sort(values.begin(), values.begin() + static_cast<std::ptrdiff_t>(m));
    std::fill(values.begin() + static_cast<std::ptrdiff_t>(m), values.end(), std::numeric_limits<double>::quiet_NaN());
    std::uint64_t hash = 0x9E3779B97F4A7C15ULL ^ m;
    for (std::size_t j = 0; j < m; ++j) {
      std::uint64_t bits = 0;
      std::memcpy(&bits, &values[j], 8);
      hash = mix64(hash ^ bits);
    }
    // Distinct multisets by hash; a hash shared by two multisets gets a
    // second entry keyed by the next hash value, and so on.
    for (;;) {
      bool fresh = false;
      const std::int32_t d = w.rows_by_hash.intern(hash, fresh);
      if (fresh) {
        w.distinct.insert(w.distinct.end(), values.begin(), values.end());
        w.weights.push_back(1);
        break;
      }
      if (std::memcmp(&w.distinct[static_cast<std::size_t>(d) * w_size], values.data(), w_size * sizeof(double)) == 0) {
        w.weights[static_cast<std::size_t>(d)] += 1;
        break;
      }
      hash = mix64(hash + 1);
    }
  }
  out["problem"] = problem_object(found);
  if (!found.what.empty()) return out;
  const std::size_t n_distinct = w.weights.size();
  py::array_t<double, py::array::f_style> rows({static_cast<py::ssize_t>(n_distinct), static_cast<py::ssize_t>(width)});
  double* r = rows.mutable_data();
  for (std::size_t d = 0; d < n_distinct; ++d)
    for (std::size_t j = 0; j < w_size; ++j) r[j * n_distinct + d] = w.distinct[d * w_size + j];
  out["rows"] = rows;
  out["weights"] = to_array(w.weights, n_distinct);
  out["units"] = n_units;
  std::vector<std::int64_t> rated;
  for (std::size_t k = 0; k < n_raters; ++k)
    if (w.rated_row[k] >= 0) rated.push_back(w.rated_row[k]);
  out["rated_rows"] = to_array(rated, rated.size());
  if (unit_rows) out["unit_rows"] = to_array(w.unit_rows, n_units);
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
  problem found;
  py::ssize_t n = 0;
  const bool coded = code_rows(keys, key_codes, rater, rater_codes, names, missing_values, hashes, n, found);
  out["problem"] = problem_object(found);
  if (!coded) return out;
  workspace& w = local_workspace();
  out["unit"] = to_array(w.unit, static_cast<std::size_t>(n));
  out["unit_rows"] = to_array(w.unit_rows, w.unit_rows.size());
  out["rater"] = to_array(w.rater, static_cast<std::size_t>(n));
  out["rater_rows"] = to_array(w.rater_rows, w.rater_rows.size());
  if (hashes) {
    auto [h1, h2] = hash_arrays(w.unit_hashes);
    out["unit_h1"] = h1;
    out["unit_h2"] = h2;
    out["rater_h"] = hash_arrays(w.rater_hashes).first;
  }
  return out;
}

py::list scatter_buckets(const py::array_t<std::int32_t, py::array::c_style>& unit,
                         const py::array_t<std::int32_t, py::array::c_style>& rater,
                         const py::array_t<double, py::array::c_style>& levels,
                         const py::array_t<std::uint64_t, py::array::c_style>& first,
                         const py::array_t<std::uint64_t, py::array::c_style>& second,
                         const py::array_t<std::uint64_t, py::array::c_style>& rater_hash, std::int64_t n_buckets) {
  const py::ssize_t n = unit.shape(0);
  if (rater.shape(0) != n || levels.shape(0) != n)
    throw invalid_argument("python", "scatter_buckets: unit, rater and levels need one value per row");
  if (second.shape(0) != first.shape(0)) throw invalid_argument("python", "scatter_buckets: two unit hashes per unit");
  if (n_buckets < 1) throw invalid_argument("python", "scatter_buckets: n_buckets must be 1 or more");
  const std::int32_t* u = unit.data();
  const std::int32_t* r = rater.data();
  for (py::ssize_t i = 0; i < n; ++i)
    if (u[i] < 0 || u[i] >= first.shape(0) || r[i] < 0 || r[i] >= rater_hash.shape(0))
      throw invalid_argument("python", "scatter_buckets: row " + std::to_string(i) + " has a code out of range");
  const std::uint64_t* h1 = first.data();
  const auto buckets = static_cast<std::size_t>(n_buckets);
  std::vector<py::ssize_t> size(buckets, 0);
  for (py::ssize_t i = 0; i < n; ++i) ++size[h1[u[i]] % buckets];
  // One (4, rows) array a bucket: a Dask worker sends one buffer per piece.
  std::vector<py::array_t<std::uint64_t>> pieces;
  std::vector<std::uint64_t*> at;
  for (std::size_t b = 0; b < buckets; ++b) {
    pieces.emplace_back(std::vector<py::ssize_t>{4, size[b]});
    at.push_back(pieces.back().mutable_data());
  }
  const std::uint64_t* h2 = second.data();
  const std::uint64_t* hr = rater_hash.data();
  const double* x = levels.data();
  for (py::ssize_t i = 0; i < n; ++i) {
    const std::size_t b = h1[u[i]] % buckets;
    std::uint64_t* p = at[b]++;
    p[0] = h1[u[i]];
    p[size[b]] = h2[u[i]];
    p[2 * size[b]] = hr[r[i]];
    std::memcpy(p + 3 * size[b], x + i, 8);
  }
  py::list out;
  for (std::size_t b = 0; b < buckets; ++b) out.append(pieces[b]);
  return out;
}

py::tuple weighted_patterns(const std::string& stat, const Eigen::Ref<const Eigen::MatrixXd>& rows,
                            const Eigen::Ref<const Eigen::VectorXd>& counts, const py::kwargs& kwargs) {
  if (counts.size() != rows.rows())
    throw invalid_argument("python", "weighted_patterns: " + std::to_string(counts.size()) + " counts for " +
                                         std::to_string(rows.rows()) + " rows");
  const ag::statistic parsed = ag::parse_statistic(stat);
  const ag::options opts = options_from_kwargs(kwargs);
  std::map<std::vector<std::int32_t>, double> patterns;
  double units = 0, dropped = 0;
  {
    py::gil_scoped_release released;
    Eigen::MatrixXd one(1, rows.cols());
    for (Eigen::Index d = 0; d < rows.rows(); ++d) {
      ag::mergeable_summary s(parsed, static_cast<std::size_t>(rows.cols()), opts);
      one = rows.row(d);
      s.add(one);
      const ag::summary_record record = s.record();
      const double weight = counts[d];
      units += record.units * weight;
      dropped += record.units_dropped * weight;
      for (const auto& [key, count] : record.patterns) patterns[key] += count * weight;
    }
  }
  py::list listed;
  for (const auto& [key, count] : patterns) listed.append(py::make_tuple(py::tuple(py::cast(key)), count));
  return py::make_tuple(listed, units, dropped);
}

}  // namespace

void register_dask(py::module_& m) {
  m.def("long_slots", &long_slots, py::arg("keys"), py::arg("key_codes"), py::arg("rater"), py::arg("rater_codes"),
        py::arg("levels"), py::kw_only(), py::arg("names"), py::arg("missing_values") = py::tuple(),
        py::arg("min_width") = 1, py::arg("check") = py::none(), py::arg("unit_rows") = false,
        py::arg("hashes") = false,
        "Long ratings of one partition -> {'rows': each distinct multiset of a unit's levels (ascending, NaN-padded "
        "to the widest unit), 'weights': its number of units, 'units', 'rated_rows': the first row with a level of "
        "each rater that has one, 'unit_rows' (when asked): each unit's first row, 'problem': None or (what, column, "
        "row, row)}, with hashes=True 'unit_h1' and 'unit_h2' (see long_codes).  Key and rater columns: object, integer or float numpy arrays (key_codes/rater_codes: a "
        "negative value is missing); levels: float64 (NaN missing).");
  m.def("long_codes", &long_codes, py::arg("keys"), py::arg("key_codes"), py::arg("rater"), py::arg("rater_codes"),
        py::kw_only(), py::arg("names"), py::arg("missing_values") = py::tuple(), py::arg("hashes") = false,
        "Dense int32 unit and rater codes of long ratings, with each code's first row, or the first missing key; "
        "with hashes=True also 'unit_h1', 'unit_h2' (two independent 64-bit hashes of each unit's key values) and "
        "'rater_h', which agree between processes.");
  m.def("scatter_buckets", &scatter_buckets, py::arg("unit"), py::arg("rater"), py::arg("levels"), py::arg("first"),
        py::arg("second"), py::arg("rater_hash"), py::arg("n_buckets"),
        "Rows -> per bucket (first hash % n_buckets) one uint64 array of 4 rows: the first and second hash of each "
        "row's unit, the hash of its rater and the bits of its level (float64).");
  m.def("release_workspace", &release_workspace,
        "Frees the buffers the calling thread keeps for the next long_slots/long_codes call.");
  m.def("weighted_patterns", &weighted_patterns, py::arg("stat"), py::arg("rows"), py::arg("counts"),
        "(patterns, units, dropped) of the summary record of units given as distinct rows with their counts.");
}

}  // namespace calibra::python
