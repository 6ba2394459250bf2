// Implementation of mixed_model.hpp.  Compiled once into the library, or
// included by the public header when CALIBRA_HEADER_ONLY is defined.
//
// Method (lme4's, written from its published description):
//   * The data enter only through cross-products: Z'Z (sparse, q x q, q =
//     levels of all grouping factors), Z'X and Z'y (q x p), X'X, X'y, y'y.
//     Nothing of size n x n, and nothing of size n after set-up.
//   * For relative SDs theta (one per grouping factor, Lambda = diag(theta)
//     repeated over the factor's levels) the penalised least-squares problem
//     min |y - X beta - Z Lambda u|^2 + |u|^2 is solved through one sparse
//     factorisation of the whole system matrix
//         M = [ Lambda Z'Z Lambda + I   Lambda Z'X ]  = P' L D L' P,
//             [ X'Z Lambda              X'X        ]
//     with the random-effect levels permuted by AMD and the fixed columns
//     last.  Its leading block is the factor of A = Lambda Z'Z Lambda + I,
//     and its trailing p x p block is that of the Schur complement
//     R_X'R_X = X'X - X'Z Lambda A^-1 Lambda Z'X, so one sparse elimination
//     gives log|A|, log|R_X'R_X|, the penalised residual and (by back
//     substitution) beta and the modes.  The rows of the fixed columns in L
//     are as sparse as the elimination allows, which a dense q x p block
//     L^-1 P Lambda Z'X would not be.  The pattern (and the permutation) is
//     computed once; each theta only refactorises numerically.
//   * The profiled REML criterion is
//       log|A| + log|R_X'R_X| + (n - p) (1 + log(2 pi r^2 / (n - p)))
//     and the ML deviance log|A| + n (1 + log(2 pi r^2 / n)), with r^2 the
//     penalised residual sum of squares; a bounded Nelder-Mead minimises it
//     over theta >= 0.
//   * Conditional SDs need diag(A^-1); it comes from the Takahashi
//     recurrences on the pattern of L (a selected inverse: only the entries
//     of A^-1 where L is structurally non-zero are formed).
#pragma once

#include <calibra/calibration/mixed_model.hpp>
#include <calibra/error.hpp>

#include <Eigen/Cholesky>
#include <Eigen/Core>
#include <Eigen/Eigenvalues>
#include <Eigen/OrderingMethods>
#include <Eigen/SparseCore>

#include <algorithm>
#include <climits>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <exception>
#include <functional>
#include <limits>
#include <numeric>
#include <string>
#include <thread>
#include <utility>
#include <vector>

namespace calibra::calibration {

namespace mixed_detail {

[[noreturn]] CALIBRA_INLINE void refuse(const std::string& message) {
  throw invalid_argument("calibration", "mixed model: " + message);
}

/// Checks one factor against n observations and fills in its level count.
CALIBRA_INLINE void check_factor(mixed_factor& factor, std::size_t n, const std::string& kind) {
  if (factor.codes.size() != n)
    refuse(kind + " factor '" + factor.name + "' has " + std::to_string(factor.codes.size()) +
           " codes but there are " + std::to_string(n) + " observations");
  std::size_t largest = 0;
  for (const auto code : factor.codes) largest = std::max<std::size_t>(largest, code);
  if (factor.levels == 0) factor.levels = n == 0 ? 0 : largest + 1;
  if (n > 0 && largest >= factor.levels)
    refuse(kind + " factor '" + factor.name + "' has code " + std::to_string(largest) +
           " but only " + std::to_string(factor.levels) + " levels (codes must be 0..levels-1)");
  if (factor.levels >= static_cast<std::size_t>(INT_MAX / 2))
    refuse(kind + " factor '" + factor.name + "' has too many levels");
}

/// Which columns of a sparse factor each thread takes.  Column j of L
/// depends only on its descendants in the elimination tree (the rows that
/// the up-looking factorisation reads) and column j of the selected inverse
/// only on its ancestors, so two subtrees that share no column can be
/// worked on at once.  The tree is cut at the root of its heaviest subtree
/// until none holds more than an eighth of the work per thread: the
/// subtrees left ("pieces") are shared among the threads by their cost, and
/// the roots cut off ("top") are done by one thread, after the pieces in
/// the factorisation and before them in the inversion.
struct elimination_schedule {
  std::vector<int> top;                   // ascending
  std::vector<std::vector<int>> pieces;   // per thread, ascending; one list: no cut
};

/// `parent[j]` is column j's parent in the elimination tree (-1 for a
/// root), `cost[j]` its share of the work.  One thread, or less work than
/// is worth a thread (10^6 multiply-adds), gives one list of every column.
CALIBRA_INLINE elimination_schedule schedule_subtrees(const std::vector<int>& parent, const std::vector<double>& cost,
                                                      unsigned threads) {
  const std::size_t n = parent.size();
  elimination_schedule out;
  const double total = std::accumulate(cost.begin(), cost.end(), 0.0);
  if (threads <= 1 || total < 1e6) {
    out.pieces.assign(1, std::vector<int>(n));
    std::iota(out.pieces[0].begin(), out.pieces[0].end(), 0);
    return out;
  }
  std::vector<int> first_child(n, -1), next_sibling(n, -1);
  std::vector<double> subtree(cost);
  std::vector<std::size_t> roots;
  for (std::size_t j = 0; j < n; ++j) {
    if (parent[j] >= 0)
      subtree[static_cast<std::size_t>(parent[j])] += subtree[j];  // children come before their parent
    else
      roots.push_back(j);
  }
  for (std::size_t j = n; j-- > 0;)
    if (parent[j] >= 0) {
      next_sibling[j] = first_child[static_cast<std::size_t>(parent[j])];
      first_child[static_cast<std::size_t>(parent[j])] = static_cast<int>(j);
    }
  std::vector<std::size_t> heap(roots);
  const auto lighter = [&](std::size_t a, std::size_t b) { return subtree[a] < subtree[b]; };
  std::make_heap(heap.begin(), heap.end(), lighter);
  const double piece_limit = total / (8.0 * threads);
  while (!heap.empty() && subtree[heap.front()] > piece_limit) {
    std::pop_heap(heap.begin(), heap.end(), lighter);
    const std::size_t cut = heap.back();
    heap.pop_back();
    out.top.push_back(static_cast<int>(cut));
    for (int c = first_child[cut]; c >= 0; c = next_sibling[static_cast<std::size_t>(c)]) {
      heap.push_back(static_cast<std::size_t>(c));
      std::push_heap(heap.begin(), heap.end(), lighter);
    }
  }
  std::sort(out.top.begin(), out.top.end());
  // Largest piece first to the least loaded thread.
  std::vector<std::size_t> pieces = heap;
  std::sort(pieces.begin(), pieces.end(), [&](std::size_t a, std::size_t b) { return subtree[a] > subtree[b]; });
  out.pieces.assign(threads, {});
  std::vector<double> load(threads, 0.0);
  std::vector<std::size_t> stack;
  for (const std::size_t piece : pieces) {
    const auto t = static_cast<std::size_t>(std::min_element(load.begin(), load.end()) - load.begin());
    load[t] += subtree[piece];
    stack.assign(1, piece);
    while (!stack.empty()) {
      const std::size_t j = stack.back();
      stack.pop_back();
      out.pieces[t].push_back(static_cast<int>(j));
      for (int c = first_child[j]; c >= 0; c = next_sibling[static_cast<std::size_t>(c)])
        stack.push_back(static_cast<std::size_t>(c));
    }
  }
  for (auto& columns : out.pieces) std::sort(columns.begin(), columns.end());
  return out;
}

/// Runs work(t) for t = 0..threads-1, t > 0 on threads of their own, and
/// rethrows the first failure.
template <class Work>
void run_on_threads(unsigned threads, Work work) {
  std::vector<std::thread> pool;
  std::vector<std::exception_ptr> failed(threads);
  for (unsigned t = 1; t < threads; ++t)
    pool.emplace_back([&, t] {
      try {
        work(t);
      } catch (...) {
        failed[t] = std::current_exception();
      }
    });
  try {
    work(0);
  } catch (...) {
    failed[0] = std::current_exception();
  }
  for (auto& thread : pool) thread.join();
  for (const auto& e : failed)
    if (e) std::rethrow_exception(e);
}

/// LDL' factorisation of a sparse symmetric matrix given by its upper
/// triangle (column-major, already in elimination order): the up-looking
/// algorithm of Davis's LDL, which is also Eigen's SimplicialLDLT, so the
/// factor is the same to the last bit.  What it adds: the symbolic
/// analysis reads the pattern only (Eigen's also builds the full symmetric
/// matrix for an ordering it then ignores), the object can be copied with
/// its analysis (a second workspace costs no second analysis), and the
/// rows of disjoint subtrees are factorised on several threads.
class sparse_ldlt {
 public:
  using sparse = Eigen::SparseMatrix<double, Eigen::ColMajor, int>;

  /// Elimination tree and column counts of the factor of `upper`, and the
  /// schedule of its columns for `threads`.
  void analyze(const sparse& upper, unsigned threads) {
    const auto n = static_cast<int>(upper.rows());
    std::vector<int> tag(static_cast<std::size_t>(n));
    parent_.assign(static_cast<std::size_t>(n), -1);
    count_.assign(static_cast<std::size_t>(n), 0);
    for (int k = 0; k < n; ++k) {
      tag[static_cast<std::size_t>(k)] = k;
      for (sparse::InnerIterator it(upper, k); it; ++it)
        for (int i = static_cast<int>(it.index()); i < k && tag[static_cast<std::size_t>(i)] != k;
             i = parent_[static_cast<std::size_t>(i)]) {
          if (parent_[static_cast<std::size_t>(i)] == -1) parent_[static_cast<std::size_t>(i)] = k;
          ++count_[static_cast<std::size_t>(i)];
          tag[static_cast<std::size_t>(i)] = k;
        }
    }
    l_.resize(n, n);
    int* outer = l_.outerIndexPtr();
    outer[0] = 0;
    std::vector<double> cost(static_cast<std::size_t>(n));
    for (std::size_t j = 0; j < static_cast<std::size_t>(n); ++j) {
      if (static_cast<long long>(outer[j]) + count_[j] >= INT_MAX)
        throw invalid_argument("calibration", "mixed model: the sparse factor is too large");
      outer[j + 1] = outer[j] + count_[j];
      cost[j] = static_cast<double>(count_[j]) * count_[j] + 1;
    }
    l_.resizeNonZeros(outer[n]);
    d_.setZero(n);
    schedule_ = schedule_subtrees(parent_, cost, threads);
    // The factor's memory and each thread's scratch are touched here, once:
    // the first factorisation then pays no page faults (at 10^6 ratings the
    // factor is 57 MB), and a model set up on another thread while a pilot
    // runs does that work there.
    std::fill_n(l_.innerIndexPtr(), outer[n], 0);
    std::fill_n(l_.valuePtr(), outer[n], 0.0);
    const auto size = static_cast<std::size_t>(n);
    scratch_.assign(schedule_.pieces.size(), scratch{std::vector<double>(size, 0.0), std::vector<int>(size), std::vector<int>(size)});
  }

  /// L and D of `upper` (same pattern as analysed), on up to as many threads
  /// as analysed for.  False when a pivot is exactly 0 (the factor is then
  /// incomplete).
  bool factorize(const sparse& upper, unsigned threads) {
    const auto n = static_cast<std::size_t>(upper.rows());
    const std::size_t lists = schedule_.pieces.size();
    // A column's tag must not hold a row of this factorisation before that
    // row reaches it; with one thread the rows in order guarantee it, but
    // a thread's scratch also sees columns that other threads finished, so
    // the tags are cleared each time (y is zero between rows anyway).
    for (scratch& s : scratch_) {
      if (s.y.size() != n) s = scratch{std::vector<double>(n, 0.0), std::vector<int>(n), std::vector<int>(n)};
      std::fill(s.tag.begin(), s.tag.end(), -1);
    }
    bool ok = true;
    std::vector<char> list_ok(lists, 1);
    const auto rows = [&](const std::vector<int>& order, scratch& s) {
      for (const int k : order)
        if (!row(upper, k, s)) return false;
      return true;
    };
    if (threads <= 1 || lists == 1) {
      // One thread: every row in order, pieces and top alike.
      for (int k = 0; k < static_cast<int>(n) && ok; ++k) ok = row(upper, k, scratch_[0]);
    } else {
      run_on_threads(static_cast<unsigned>(lists), [&](unsigned t) { list_ok[t] = rows(schedule_.pieces[t], scratch_[t]); });
      ok = std::all_of(list_ok.begin(), list_ok.end(), [](char c) { return c != 0; }) && rows(schedule_.top, scratch_[0]);
    }
    return ok;
  }

  /// The unit lower factor (diagonal not stored, rows ascending in each
  /// column) and D.
  const sparse& matrix_l() const { return l_; }
  const Eigen::VectorXd& vector_d() const { return d_; }
  const elimination_schedule& schedule() const { return schedule_; }
  /// x <- L^-1 x and x <- L'^-1 x.
  void solve_l(Eigen::VectorXd& x) const { l_.triangularView<Eigen::UnitLower>().solveInPlace(x); }
  void solve_lt(Eigen::VectorXd& x) const { l_.transpose().triangularView<Eigen::UnitUpper>().solveInPlace(x); }

 private:
  struct scratch {
    std::vector<double> y;    // row k of L D, scattered; zero between rows
    std::vector<int> pattern; // stack of row k's pattern, topological order
    std::vector<int> tag;     // last row whose pattern reached each column
  };

  // Row k of L and D(k): a sparse triangular solve with the columns of L
  // already done (k's descendants).  Writes L(k, i) into column i.
  bool row(const sparse& upper, int k, scratch& s) {
    const auto n = static_cast<int>(upper.rows());
    const int* lp = l_.outerIndexPtr();
    int* li = l_.innerIndexPtr();
    double* lx = l_.valuePtr();
    double* y = s.y.data();
    int* pattern = s.pattern.data();
    int* tag = s.tag.data();
    const auto K = static_cast<std::size_t>(k);
    y[K] = 0;
    int top = n;
    tag[K] = k;
    count_[K] = 0;
    for (sparse::InnerIterator it(upper, k); it; ++it) {
      int i = static_cast<int>(it.index());
      if (i > k) continue;
      y[static_cast<std::size_t>(i)] += it.value();
      int len = 0;
      for (; tag[static_cast<std::size_t>(i)] != k; i = parent_[static_cast<std::size_t>(i)]) {
        pattern[len++] = i;
        tag[static_cast<std::size_t>(i)] = k;
      }
      while (len > 0) pattern[--top] = pattern[--len];
    }
    double d = y[K];
    y[K] = 0;
    for (; top < n; ++top) {
      const auto i = static_cast<std::size_t>(pattern[top]);
      const double yi = y[i];
      y[i] = 0;
      const double l_ki = yi / d_[static_cast<Eigen::Index>(i)];
      const int p2 = lp[i] + count_[i];
      int p = lp[i];
      for (; p < p2; ++p) y[static_cast<std::size_t>(li[p])] -= lx[p] * yi;
      d -= l_ki * yi;
      li[p] = k;
      lx[p] = l_ki;
      ++count_[i];
    }
    d_[static_cast<Eigen::Index>(k)] = d;
    return d != 0;
  }

  sparse l_;
  Eigen::VectorXd d_;
  std::vector<int> parent_, count_;  // count_: entries of each column so far
  elimination_schedule schedule_;
  std::vector<scratch> scratch_;
};

/// diag(A^-1) for A = P' L D L' P, from the unit lower factor L (diagonal
/// not stored, rows ascending within each column) and D, indexed in the
/// permuted order.  Takahashi's recurrences: with Z = A^-1 (permuted),
///   Z_ij = -sum_{k in S_j} L_kj Z_ik            (i in S_j, the pattern of column j)
///   Z_jj = 1/D_j - sum_{k in S_j} L_kj Z_kj
/// for j from last to first.  Every Z_ik needed lies in the pattern of L
/// (S_j is a clique of the filled graph), so Z is stored on that pattern and
/// the cost is about that of the factorisation.
/// Only the leading block of L and D is read (`size` columns): that is the
/// factor of the leading block of the matrix.
///
/// Column j needs only the columns of S_j, which are its ancestors in the
/// elimination tree, so two subtrees that share no column can be inverted
/// at the same time once their common ancestors are done.  With threads >
/// 1 the factor's schedule is followed: its top first, last column to
/// first, then its pieces on their threads.  Each
/// column is computed by the same arithmetic whichever thread does it, so
/// the result does not depend on the number of threads.  `z` is the
/// caller's buffer for Z on the pattern (reused between calls so that its
/// pages are not faulted in again each time).
CALIBRA_INLINE Eigen::VectorXd selected_inverse_diagonal(const sparse_ldlt& factor, Eigen::Index size,
                                                         std::vector<double>& z, unsigned threads = 1) {
  const sparse_ldlt::sparse& L = factor.matrix_l();
  const Eigen::VectorXd& D = factor.vector_d();
  const auto q = static_cast<std::size_t>(size);
  const int* outer = L.outerIndexPtr();
  const int* inner = L.innerIndexPtr();
  const double* lx = L.valuePtr();
  z.resize(static_cast<std::size_t>(L.nonZeros()));
  Eigen::VectorXd zdiag(size);
  // Entries of column j below row `size` (the rows of the fixed columns
  // when only the leading block is wanted) come last in it; `last[j]` ends
  // the part inside the block.
  std::vector<int> last(q);
  for (std::size_t j = 0; j < q; ++j) {
    int e = outer[j + 1];
    while (e > outer[j] && inner[e - 1] >= size) --e;
    last[j] = e;
  }
  struct scratch {
    std::vector<int> position;
    std::vector<double> acc;
  };
  const auto invert_column = [&](std::size_t j, scratch& work) {
    const int begin = outer[j], end = last[j];
    const int count = end - begin;
    work.acc.assign(static_cast<std::size_t>(count), 0.0);
    for (int a = 0; a < count; ++a) work.position[static_cast<std::size_t>(inner[begin + a])] = a;
    for (int a = 0; a < count; ++a) {
      const int k = inner[begin + a];
      const double lkj = lx[begin + a];
      work.acc[static_cast<std::size_t>(a)] -= lkj * zdiag[k];
      // Column k of Z holds Z_rk for rows r > k; those in S_j contribute to
      // both Z_rj (through L_kj) and, by symmetry, Z_kj (through L_rj).
      for (int pk = outer[k]; pk < last[static_cast<std::size_t>(k)]; ++pk) {
        const int b = work.position[static_cast<std::size_t>(inner[pk])];
        if (b < 0) continue;
        const double zrk = z[static_cast<std::size_t>(pk)];
        work.acc[static_cast<std::size_t>(b)] -= lkj * zrk;
        work.acc[static_cast<std::size_t>(a)] -= lx[begin + b] * zrk;
      }
    }
    double diag = 1.0 / D[static_cast<Eigen::Index>(j)];
    for (int a = 0; a < count; ++a) {
      z[static_cast<std::size_t>(begin + a)] = work.acc[static_cast<std::size_t>(a)];
      diag -= lx[begin + a] * work.acc[static_cast<std::size_t>(a)];
      work.position[static_cast<std::size_t>(inner[begin + a])] = -1;
    }
    zdiag[static_cast<Eigen::Index>(j)] = diag;
  };
  const auto make_scratch = [&] { return scratch{std::vector<int>(q, -1), {}}; };

  const elimination_schedule& plan = factor.schedule();
  if (threads <= 1 || plan.pieces.size() == 1) {
    scratch work = make_scratch();
    for (std::size_t j = q; j-- > 0;) invert_column(j, work);
    return zdiag;
  }
  // The top first, last column to first: every column there is an
  // ancestor of the pieces and reads only its own ancestors, which are in
  // the top too.  Then each piece from its last column to its first.
  // Columns past `size` are not wanted.
  {
    scratch work = make_scratch();
    for (auto j = plan.top.rbegin(); j != plan.top.rend(); ++j)
      if (*j < size) invert_column(static_cast<std::size_t>(*j), work);
  }
  run_on_threads(static_cast<unsigned>(plan.pieces.size()), [&](unsigned t) {
    scratch work = make_scratch();
    const std::vector<int>& columns = plan.pieces[t];
    for (auto j = columns.rbegin(); j != columns.rend(); ++j)
      if (*j < size) invert_column(static_cast<std::size_t>(*j), work);
  });
  return zdiag;
}

/// Distinct (column, row) pairs with their multiplicities, by column, rows
/// ascending within each.
struct pair_counts {
  std::vector<std::size_t> start;  // columns + 1
  std::vector<std::uint32_t> row;
  std::vector<std::uint32_t> count;
};

/// Counts the pairs `emit(visit)` passes to visit(column, row), column <
/// `columns`.  Two passes over the generator (one to size each column's
/// bucket, one to fill it), then a sort within each bucket: memory is one
/// 32-bit row per pair, and no global sort of all pairs is needed.
template <class Emit>
pair_counts count_pairs(std::size_t columns, Emit emit) {
  pair_counts out;
  std::vector<std::size_t> start(columns + 1, 0);
  emit([&](std::size_t column, std::size_t) { ++start[column + 1]; });
  for (std::size_t c = 0; c < columns; ++c) start[c + 1] += start[c];
  std::vector<std::uint32_t> rows(start[columns]);
  {
    std::vector<std::size_t> next(start.begin(), start.end() - 1);
    emit([&](std::size_t column, std::size_t row) { rows[next[column]++] = static_cast<std::uint32_t>(row); });
  }
  // Sort and run-length each bucket in place; `start` is rewritten to the
  // compressed buckets as it goes (a bucket never grows).
  out.count.resize(rows.size());
  std::size_t written = 0, begin = 0;
  for (std::size_t c = 0; c < columns; ++c) {
    const std::size_t end = start[c + 1];
    std::sort(rows.begin() + static_cast<std::ptrdiff_t>(begin), rows.begin() + static_cast<std::ptrdiff_t>(end));
    start[c] = written;
    for (std::size_t k = begin; k < end;) {
      std::size_t run = k;
      while (run < end && rows[run] == rows[k]) ++run;
      rows[written] = rows[k];
      out.count[written++] = static_cast<std::uint32_t>(run - k);
      k = run;
    }
    begin = end;
  }
  start[columns] = written;
  rows.resize(written);
  rows.shrink_to_fit();
  out.count.resize(written);
  out.count.shrink_to_fit();
  out.start = std::move(start);
  out.row = std::move(rows);
  return out;
}

/// Outcome of one optimiser stage.
struct stage_result {
  std::vector<double> x;
  double value = 0;
  bool met = false;        // nelder_mead: its tolerances were met
  bool converged = false;  // newton_polish: its tolerances were met
};

/// Nelder-Mead (standard coefficients) from `start` with initial steps of
/// `step` times the coordinate (at least 0.1 * step).  Stops when the deviances of the simplex differ by at most ftol
/// and every vertex lies within xtol of the best, or the budget is spent.
///
/// `batch` evaluates several points at once (f at each, in order); it is
/// used where the points do not depend on each other's values.
template <class F, class B>
stage_result nelder_mead(F& f, B& batch, const std::vector<double>& start, double step, double ftol, double xtol,
                         std::size_t budget) {
  const std::size_t d = start.size();
  std::size_t used = 0;
  const auto eval = [&](std::vector<double>& x) { ++used; return f(x); };
  // The starting vertex and its d neighbours, as many as the budget allows.
  std::vector<std::vector<double>> x(d + 1, start);
  std::vector<double> fx(d + 1);
  {
    const std::size_t first = std::min(d + 1, budget);
    for (std::size_t k = 0; k + 1 < first; ++k) x[k + 1][k] += step * std::max(start[k], 0.1);
    const std::vector<std::vector<double>> points(x.begin(), x.begin() + static_cast<std::ptrdiff_t>(first));
    const std::vector<double> values = batch(points);
    std::copy(values.begin(), values.end(), fx.begin());
    used += first;
  }
  stage_result out;
  std::vector<std::size_t> order(d + 1);
  while (used < budget) {
    std::iota(order.begin(), order.end(), 0);
    std::sort(order.begin(), order.end(), [&](std::size_t i, std::size_t j) { return fx[i] < fx[j]; });
    const std::size_t lo = order.front(), hi = order.back(), second = order[d - 1];
    double size = 0;
    for (std::size_t i = 0; i <= d; ++i)
      for (std::size_t k = 0; k < d; ++k) size = std::max(size, std::abs(x[i][k] - x[lo][k]));
    if (fx[hi] - fx[lo] <= ftol && size <= xtol) {
      out.met = true;
      break;
    }
    std::vector<double> centroid(d, 0.0);
    for (std::size_t i = 0; i <= d; ++i)
      if (i != hi)
        for (std::size_t k = 0; k < d; ++k) centroid[k] += x[i][k] / static_cast<double>(d);
    const auto along = [&](double t) {
      std::vector<double> v(d);
      for (std::size_t k = 0; k < d; ++k) v[k] = centroid[k] + t * (x[hi][k] - centroid[k]);
      return v;
    };
    std::vector<double> xr = along(-1.0);
    const double fr = eval(xr);
    if (fr < fx[lo]) {
      std::vector<double> xe = along(-2.0);
      const double fe = eval(xe);
      if (fe < fr) x[hi] = xe, fx[hi] = fe;
      else x[hi] = xr, fx[hi] = fr;
    } else if (fr < fx[second]) {
      x[hi] = xr, fx[hi] = fr;
    } else {
      const bool outside = fr < fx[hi];
      std::vector<double> xc = along(outside ? -0.5 : 0.5);
      const double fc = eval(xc);
      if (fc < (outside ? fr : fx[hi])) {
        x[hi] = xc, fx[hi] = fc;
      } else {  // shrink towards the best vertex
        std::vector<std::vector<double>> points;
        for (std::size_t i = 0; i <= d; ++i) {
          if (i == lo) continue;
          for (std::size_t k = 0; k < d; ++k) x[i][k] = x[lo][k] + 0.5 * (x[i][k] - x[lo][k]);
          points.push_back(x[i]);
        }
        const std::vector<double> values = batch(points);
        used += points.size();
        for (std::size_t i = 0, at = 0; i <= d; ++i)
          if (i != lo) fx[i] = values[at++];
      }
    }
  }
  const auto at = static_cast<std::size_t>(std::min_element(fx.begin(), fx.end()) - fx.begin());
  out.x = x[at];
  out.value = fx[at];
  return out;
}

/// Newton iterations with finite-difference gradient and Hessian (central
/// differences), from x with deviance fx.  Unconstrained: the caller's
/// deviance is even in every component (see mixed_model::fit).  Converged
/// when a step moves x by at most xtol, or the decrease the quadratic model
/// predicts is at most ftol, or no decrease is found along a step shorter
/// than 1e-5 (the rounding noise of a deviance of 10^6 is about 1e-9, which
/// makes the differenced gradient uncertain in its second or third digit
/// once it is that small).  Gives up (converged = false) where the Hessian
/// is not positive definite, i.e. outside the region where Newton steps
/// are safe.
template <class F, class B>
stage_result newton_polish(F& f, B& batch, std::vector<double> x, double fx, double ftol, double xtol,
                           std::size_t budget) {
  const std::size_t d = x.size();
  const auto D = static_cast<Eigen::Index>(d);
  // The deviance is O(n) while its curvature in theta is O(levels): a step
  // of 1e-4 keeps the rounding error of the differences (about 1e-16 * f /
  // h^2 for the Hessian) far below the curvature itself, and the truncation
  // error (h^2 times third derivatives) below the tolerances that matter.
  const double h = 1e-4;
  std::size_t used = 0;
  const auto eval = [&](std::vector<double> v) { ++used; return f(v); };
  stage_result out;
  const std::size_t per_iteration = 2 * d + d * (d - 1) / 2 + 1;
  for (int iteration = 0; iteration < 50 && used + per_iteration <= budget; ++iteration) {
    Eigen::VectorXd g(D);
    Eigen::MatrixXd hess(D, D);
    // The points of the differences, all at once: x +- h e_k, then
    // x + h e_i + h e_j for i < j.
    std::vector<std::vector<double>> points;
    for (std::size_t k = 0; k < d; ++k)
      for (const double sign : {1.0, -1.0}) {
        points.push_back(x);
        points.back()[k] += sign * h;
      }
    for (std::size_t i = 0; i < d; ++i)
      for (std::size_t j = i + 1; j < d; ++j) {
        points.push_back(x);
        points.back()[i] += h, points.back()[j] += h;
      }
    const std::vector<double> values = batch(points);
    used += points.size();
    for (std::size_t k = 0; k < d; ++k) {
      const auto kk = static_cast<Eigen::Index>(k);
      const double fa = values[2 * k], fb = values[2 * k + 1];
      g[kk] = (fa - fb) / (2 * h);
      hess(kk, kk) = (fa - 2 * fx + fb) / (h * h);
    }
    for (std::size_t i = 0, at = 2 * d; i < d; ++i)
      for (std::size_t j = i + 1; j < d; ++j) {
        // f(x + h e_i + h e_j) - f(x + h e_i) - f(x + h e_j) + f(x) = h^2 H_ij + O(h^3)
        const double value = (values[at++] - values[2 * i] - values[2 * j] + fx) / (h * h);
        hess(static_cast<Eigen::Index>(i), static_cast<Eigen::Index>(j)) = value;
        hess(static_cast<Eigen::Index>(j), static_cast<Eigen::Index>(i)) = value;
      }
    Eigen::LLT<Eigen::MatrixXd> llt(hess);
    if (llt.info() != Eigen::Success) break;  // not locally convex: leave it to Nelder-Mead
    const Eigen::VectorXd step = -llt.solve(g);
    const double predicted = -0.5 * g.dot(step);
    if (predicted <= ftol) {
      out.converged = true;
      break;
    }
    bool improved = false;
    for (double t = 1.0; t > 1e-3 && used < budget; t /= 2) {
      std::vector<double> trial = x;
      for (std::size_t k = 0; k < d; ++k) trial[k] += t * step[static_cast<Eigen::Index>(k)];
      const double ft = eval(trial);
      if (ft <= fx) {
        const double moved = t * step.cwiseAbs().maxCoeff();
        const double gain = fx - ft;
        x = trial;
        fx = ft;
        improved = true;
        if (moved <= xtol || gain <= ftol) out.converged = true;
        break;
      }
    }
    if (!improved) {
      out.converged = step.cwiseAbs().maxCoeff() <= 1e-5;
      break;
    }
    if (out.converged) break;
  }
  out.x = x;
  out.value = fx;
  return out;
}

/// Quasi-Newton (BFGS on the inverse Hessian) with analytic gradients and
/// a backtracking line search, unconstrained (the caller's criterion is
/// even in every component).  Tolerance on the decrease: relative_ftol
/// times the criterion's size.  `value(x)` evaluates the criterion at x and
/// `gradient()` returns its gradient at the point `value` saw last, so a
/// trial point the line search rejects costs no gradient.  Converged when
/// a step moves x by at most xtol or the quadratic model's next step would
/// gain at most ftol or move x by at most xtol; a line search that finds
/// no decrease (the criterion's rounding noise, about 1e-16 of its size
/// per term, reached) counts as converged only when that gain or step is
/// within 1000 ftol or 1000 xtol.  Anything else (budget, iterations) returns converged = false
/// with the best point, for the derivative-free stages to finish.
///
/// With measure_curvature, the first approximation of the inverse Hessian
/// is not the identity but the inverse of the Hessian at the start, by
/// forward differences of the gradient (one more evaluation per
/// component), when that is positive definite: from a start near the
/// optimum the first steps are then Newton steps, where BFGS from the
/// identity would spend about a step per direction learning the curvature.
template <class V, class G>
stage_result quasi_newton(V& value, G& gradient, std::vector<double> x, double relative_ftol, double xtol,
                          std::size_t budget, bool measure_curvature = false) {
  const auto d = static_cast<Eigen::Index>(x.size());
  const auto to_vector = [&](const std::vector<double>& v) {
    return Eigen::Map<const Eigen::VectorXd>(v.data(), d).eval();
  };
  stage_result out;
  std::size_t used = 1;
  double fx = value(x);
  const double ftol = relative_ftol * std::max(1.0, std::abs(fx));
  Eigen::VectorXd g = to_vector(gradient());
  Eigen::MatrixXd inverse_hessian = Eigen::MatrixXd::Identity(d, d);
  bool scaled = false;
  if (measure_curvature && used + static_cast<std::size_t>(d) < budget) {
    Eigen::MatrixXd hessian(d, d);
    std::vector<double> probe = x;
    for (Eigen::Index k = 0; k < d; ++k) {
      const auto at = static_cast<std::size_t>(k);
      // Near theta_k = 0 the gradient is ~ 2 a theta_k (the criterion is
      // even) and vanishes below its rounding noise: step far enough out.
      const double h = std::max(1e-4 * std::abs(x[at]), 1e-3);
      probe[at] = x[at] + h;
      value(probe);
      ++used;
      hessian.col(k) = (to_vector(gradient()) - g) / h;
      probe[at] = x[at];
    }
    // A direction of no or negative curvature (a variance whose optimum
    // is 0 with a flat criterion there, or a start outside the convex
    // region) gets the size of its curvature, floored, so that the first
    // step is still a descent step of sensible length.
    const Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> eigen(0.5 * (hessian + hessian.transpose()));
    const Eigen::VectorXd curvature = eigen.eigenvalues().cwiseAbs();
    if (eigen.info() == Eigen::Success && curvature.maxCoeff() > 0 && std::isfinite(curvature.maxCoeff())) {
      const Eigen::VectorXd inverse = curvature.cwiseMax(1e-6 * curvature.maxCoeff()).cwiseInverse();
      inverse_hessian = eigen.eigenvectors() * inverse.asDiagonal() * eigen.eigenvectors().transpose();
      scaled = true;
    }
  }
  for (int iteration = 0; iteration < 200 && used < budget; ++iteration) {
    Eigen::VectorXd direction = -inverse_hessian * g;
    double slope = g.dot(direction);
    if (!(slope < 0)) {  // lost descent (rounding in the update): restart from steepest descent
      inverse_hessian.setIdentity();
      scaled = false;
      direction = -g;
      slope = -g.squaredNorm();
      if (!(slope < 0)) {
        out.converged = true;  // a zero gradient
        break;
      }
    }
    // Once the curvature is learnt, a step that the quadratic model says
    // gains at most ftol, or moves theta by at most xtol, is not worth
    // taking.
    if (scaled && (-0.5 * slope <= ftol || direction.cwiseAbs().maxCoeff() <= xtol)) {
      out.converged = true;
      break;
    }
    // Before the first update the direction is the raw gradient, whose
    // size says nothing about a sensible step: move theta by at most 0.5.
    // From a measured curvature, a Newton step longer than 1 in theta
    // means the start was far from the optimum: move by at most 1.
    double t = scaled ? 1.0 : std::min(1.0, 0.5 / direction.cwiseAbs().maxCoeff());
    if (measure_curvature) t = std::min(t, 1.0 / direction.cwiseAbs().maxCoeff());
    bool accepted = false;
    std::vector<double> trial(x.size());
    double ft = 0;
    // A quasi-Newton step is nearly always taken whole; one that must be
    // cut ten times is lost in the criterion's rounding noise.
    for (int k = 0; k < (scaled ? 10 : 40) && used < budget; ++k) {
      for (Eigen::Index i = 0; i < d; ++i) trial[static_cast<std::size_t>(i)] = x[static_cast<std::size_t>(i)] + t * direction[i];
      ft = value(trial);
      ++used;
      if (ft <= fx + 1e-4 * t * slope) {
        accepted = true;
        break;
      }
      // Minimum of the quadratic through f(x), its slope and f(x + t p),
      // kept within [t/10, t/2].
      const double curvature = ft - fx - slope * t;
      const double next = curvature > 0 ? -slope * t * t / (2 * curvature) : 0.5 * t;
      t = std::clamp(next, 0.1 * t, 0.5 * t);
    }
    if (!accepted) {
      // No decrease found: converged if the model's gain or step was
      // already within the noise (1000 ftol, 1000 xtol), otherwise the
      // derivative-free stages take over.
      out.converged = -0.5 * slope <= 1000 * ftol || direction.cwiseAbs().maxCoeff() <= 1000 * xtol;
      break;
    }
    const Eigen::VectorXd gt = to_vector(gradient());
    const Eigen::VectorXd step = t * direction, change = gt - g;
    const double sy = step.dot(change);
    if (sy > 1e-12 * step.norm() * change.norm()) {
      if (!scaled) {  // Shanno's scaling of the first approximation
        inverse_hessian *= sy / change.squaredNorm();
        scaled = true;
      }
      const double rho = 1.0 / sy;
      const Eigen::MatrixXd left = Eigen::MatrixXd::Identity(d, d) - rho * step * change.transpose();
      inverse_hessian = left * inverse_hessian * left.transpose() + rho * step * step.transpose();
    }
    x = trial;
    fx = ft;
    g = gt;
    if (step.cwiseAbs().maxCoeff() <= xtol) {
      out.converged = true;
      break;
    }
  }
  out.x = x;
  out.value = fx;
  return out;
}

}  // namespace mixed_detail

CALIBRA_INLINE void mixed_model_options::validate() const {
  if (!(deviance_tolerance > 0) || !std::isfinite(deviance_tolerance))
    mixed_detail::refuse("deviance_tolerance must be positive and finite");
  if (!(theta_tolerance > 0) || !std::isfinite(theta_tolerance))
    mixed_detail::refuse("theta_tolerance must be positive and finite");
  if (max_evaluations < 1) mixed_detail::refuse("max_evaluations must be at least 1");
  if (!(max_factorisation_work > 0)) mixed_detail::refuse("max_factorisation_work must be positive");
}

struct mixed_model::impl {
  using sparse = Eigen::SparseMatrix<double, Eigen::ColMajor, int>;

  mixed_model_options options;
  std::size_t n = 0;  // observations
  std::size_t p = 0;  // fixed-effect columns (intercept included)
  std::size_t q = 0;  // random-effect levels over all grouping factors
  std::size_t m = 0;  // grouping factors

  std::vector<std::string> random_names, fixed_names;
  std::vector<std::size_t> offset;      // first global level of each grouping factor (m + 1)
  std::vector<int> level_factor;        // grouping factor of each global level
  std::vector<std::size_t> level_count;  // observations per global level

  double y_mean = 0, yty = 0;  // y is centred: the intercept absorbs the mean
  Eigen::VectorXd xty, zty;
  // M = [Lambda Z'Z Lambda + I, Lambda Z'X; X'Z Lambda, X'X], stored
  // already permuted (levels in AMD order, then the p fixed columns) as an
  // upper triangle: that is the layout Eigen's simplicial factorisation
  // reads in place, so a refactorisation copies nothing.  Per stored entry:
  // the count of the pair in [Z X]'[Z X] and which pair of factors it joins
  // (row factor * (m + 1) + column factor; factor m stands for the fixed
  // columns, whose scale is 1).
  std::vector<double> a_count;
  std::vector<std::uint32_t> a_factors;
  std::vector<int> perm;  // original global level -> position in the factor
  double work = 0;        // multiply-adds of the factorisation of A alone

  // What one evaluation writes: M's values, its factor, and the results.
  // The optimiser evaluates independent points on several threads, each
  // with its own workspace; workspace 0 holds the last evaluation of
  // deviance(), fit() and fit_at(), which result() reads.
  struct workspace {
    sparse a;
    mixed_detail::sparse_ldlt chol;
    std::vector<double> theta;
    Eigen::VectorXd w;  // L^-1 P [Lambda Z'y; X'y]
    double pwrss = 0, dev = 0;
    std::vector<double> inverse;  // the selected inverse's buffer
    // Threads of its factorisations and selected inversions: the model's
    // for workspace 0; 1 for the others, which evaluate points side by side.
    unsigned threads = 1;
  };
  std::vector<std::unique_ptr<workspace>> spaces;

  void check_theta(const std::vector<double>& th) const {
    if (th.size() != m)
      mixed_detail::refuse("theta has " + std::to_string(th.size()) + " entries for " +
                           std::to_string(m) + " grouping factors");
    for (const double t : th)
      if (!(t >= 0) || !std::isfinite(t)) mixed_detail::refuse("theta must be finite and >= 0");
  }

  double evaluate(const std::vector<double>& th, workspace& ws) const;
  double evaluate(const std::vector<double>& th) { return evaluate(th, *spaces.front()); }
  std::vector<double> gradient(workspace& ws) const;
  // [u; beta] = M^-1 [Lambda Z'y; X'y] in the permuted order, by back
  // substitution from the workspace's w = L^-1 P r.
  static Eigen::VectorXd solve(const workspace& ws) {
    Eigen::VectorXd solution = ws.w.cwiseQuotient(ws.chol.vector_d());
    ws.chol.solve_lt(solution);
    return solution;
  }
  unsigned thread_count() const {
    return options.threads != 0 ? options.threads : std::max(1u, std::min(4u, std::thread::hardware_concurrency()));
  }
  std::vector<double> evaluate_all(const std::vector<std::vector<double>>& points);
  mixed_model_fit optimise(std::vector<double> start, bool measure_curvature);
  mixed_model_fit result(std::size_t evaluations, bool converged);
};

CALIBRA_INLINE double mixed_model::impl::evaluate(const std::vector<double>& th, workspace& ws) const {
  ws.theta = th;
  sparse& a = ws.a;
  mixed_detail::sparse_ldlt& chol = ws.chol;
  Eigen::VectorXd& w = ws.w;
  // M's values only (the pattern never changes): each entry is its count
  // times theta of its row factor times theta of its column factor (1 for a
  // fixed column), plus the identity on the random-effect block.
  const std::size_t mf = m + 1;
  std::vector<double> factor_theta(th);
  factor_theta.push_back(1.0);
  std::vector<double> scale(mf * mf);
  for (std::size_t f = 0; f < mf; ++f)
    for (std::size_t g = 0; g < mf; ++g) scale[f * mf + g] = factor_theta[f] * factor_theta[g];
  const int* outer = a.outerIndexPtr();
  const int* inner = a.innerIndexPtr();
  double* values = a.valuePtr();
  const int levels = static_cast<int>(q), size = static_cast<int>(q + p);
  for (int c = 0; c < size; ++c)
    for (int k = outer[c]; k < outer[c + 1]; ++k)
      values[k] = scale[a_factors[static_cast<std::size_t>(k)]] * a_count[static_cast<std::size_t>(k)] +
                  (inner[k] == c && c < levels ? 1.0 : 0.0);
  const bool factorised = chol.factorize(a, ws.threads);
  const Eigen::VectorXd& d = chol.vector_d();
  // A = Lambda Z'Z Lambda + I is positive definite at every theta, so a
  // pivot that is not positive belongs to the Schur complement R_X'R_X.
  if (!factorised || !(d.tail(static_cast<Eigen::Index>(p)).minCoeff() > 0))
    throw degenerate_error("calibration", "mixed model: the fixed effects are not estimable at this theta");
  const double log_det_l = d.head(levels).array().log().sum();
  const double log_det_rx = d.tail(static_cast<Eigen::Index>(p)).array().log().sum();

  w.resize(size);
  for (std::size_t i = 0; i < q; ++i)
    w[perm[i]] = th[static_cast<std::size_t>(level_factor[i])] * zty[static_cast<Eigen::Index>(i)];
  w.tail(static_cast<Eigen::Index>(p)) = xty;
  chol.solve_l(w);

  // r'M^-1 r = w'D^-1 w is the fitted part of y'y: the penalised residual
  // sum of squares is what remains.
  const double pwrss = ws.pwrss = yty - w.dot(d.cwiseInverse().cwiseProduct(w));
  if (!(pwrss > 0))
    throw degenerate_error("calibration", "mixed model: the model fits the data exactly (no residual variance)");
  const double two_pi = 2.0 * 3.14159265358979323846;
  const auto nd = static_cast<double>(n), pd = static_cast<double>(p);
  if (options.criterion == mixed_criterion::reml)
    ws.dev = log_det_l + log_det_rx + (nd - pd) * (1.0 + std::log(two_pi * pwrss / (nd - pd)));
  else
    ws.dev = log_det_l + nd * (1.0 + std::log(two_pi * pwrss / nd));
  return ws.dev;
}

// The gradient of the profiled criterion at the workspace's last
// evaluation, in closed form.  Write M - I_q = D C D with C the counts of
// [Z X]'[Z X] and D = diag(theta of each level's factor, 1 for a fixed
// column), E_k the indicator of factor k's levels, q_k their number, and
// [u; beta] = M^-1 [Lambda Z'y; X'y] the solution.  Then
//   d log|M| / d theta_k = tr(M^-1 (E_k C D + D C E_k))
//                        = (2 / theta_k) (q_k - sum_{i in k} (M^-1)_ii)
//   d r^2 / d theta_k    = -(2 / theta_k) |u_k|^2
// (the second from the normal equations: theta_k Z_k'(y - X beta - Z Lambda u)
// = u_k).  log|M| = log|A| + log|R_X'R_X| is REML's determinant term; ML's
// is log|A| alone, whose derivative has A^-1 in place of M^-1.  So
//   d crit / d theta_k = (2 / theta_k) (q_k - sum_k diag - |u_k|^2 / s^2),
// s^2 = r^2 / (n - p) for REML and r^2 / n for ML.  The diagonal of the
// inverse is one selected inversion of the factor already at hand, so a
// gradient costs about one more factorisation, where differences would
// cost one per component.  The bracket is even in theta_k and vanishes at
// 0, so the derivative of the even criterion is odd, as it must be; at
// |theta_k| below 1e-8, or where the bracket is below the rounding noise
// of its sums, the derivative is taken as 0 (its limit at theta_k = 0).
CALIBRA_INLINE std::vector<double> mixed_model::impl::gradient(workspace& ws) const {
  const bool reml = options.criterion == mixed_criterion::reml;
  const auto Q = static_cast<Eigen::Index>(q), P = static_cast<Eigen::Index>(p);
  const Eigen::VectorXd inverse_diagonal =
      mixed_detail::selected_inverse_diagonal(ws.chol, reml ? Q + P : Q, ws.inverse, ws.threads);
  const Eigen::VectorXd solution = solve(ws);
  const double s2 = ws.pwrss / static_cast<double>(reml ? n - p : n);
  std::vector<double> g(m, 0.0);
  for (std::size_t f = 0; f < m; ++f) {
    const double t = ws.theta[f];
    if (std::abs(t) < 1e-8) continue;
    double trace = 0, modes = 0;
    for (std::size_t i = offset[f]; i < offset[f + 1]; ++i) {
      const int at = perm[i];
      trace += inverse_diagonal[at];
      modes += solution[at] * solution[at];
    }
    const double levels = static_cast<double>(offset[f + 1] - offset[f]);
    const double bracket = levels - trace - modes / s2;
    // The bracket is a difference of sums over the factor's levels; below
    // their rounding noise it carries no sign, and dividing it by a small
    // theta_k would make a large gradient out of noise.
    if (std::abs(bracket) <= 1e-11 * (levels + trace + modes / s2)) continue;
    g[f] = 2.0 / t * bracket;
  }
  return g;
}

CALIBRA_INLINE std::vector<double> mixed_model::impl::evaluate_all(const std::vector<std::vector<double>>& points) {
  std::vector<double> out(points.size());
  const auto threads = static_cast<unsigned>(std::min<std::size_t>(thread_count(), points.size()));
  if (threads <= 1) {
    for (std::size_t k = 0; k < points.size(); ++k) out[k] = evaluate(points[k]);
    return out;
  }
  while (spaces.size() < threads) {
    auto space = std::make_unique<workspace>();
    space->a = spaces.front()->a;
    space->chol = spaces.front()->chol;  // the analysis, copied
    space->threads = 1;
    spaces.push_back(std::move(space));
  }
  // Point k goes to thread k mod threads; a failure is rethrown for the
  // first point that failed, as the points one by one would have.
  std::vector<std::exception_ptr> failed(points.size());
  const auto work = [&](unsigned t) {
    for (std::size_t k = t; k < points.size(); k += threads) {
      try {
        out[k] = evaluate(points[k], *spaces[t]);
      } catch (...) {
        failed[k] = std::current_exception();
        return;
      }
    }
  };
  mixed_detail::run_on_threads(threads, work);
  for (const auto& e : failed)
    if (e) std::rethrow_exception(e);
  return out;
}

CALIBRA_INLINE mixed_model_fit mixed_model::impl::result(std::size_t evaluations, bool converged) {
  const workspace& ws = *spaces.front();
  const mixed_detail::sparse_ldlt& chol = ws.chol;
  const std::vector<double>& theta = ws.theta;
  const double dev = ws.dev, pwrss = ws.pwrss;
  mixed_model_fit fit;
  fit.criterion = options.criterion;
  fit.n_obs = n;
  fit.evaluations = evaluations;
  fit.converged = converged;
  fit.criterion_value = dev;
  fit.log_likelihood = -dev / 2;
  // Entries of the factor of A: the leading q x q block of L, and D.
  const sparse& l = chol.matrix_l();
  std::size_t nonzeros = q;
  for (Eigen::Index c = 0; c < static_cast<Eigen::Index>(q); ++c)
    for (sparse::InnerIterator it(l, c); it && it.index() < static_cast<Eigen::Index>(q); ++it) ++nonzeros;
  fit.factor_nonzeros = nonzeros;
  const double sigma2 =
      pwrss / static_cast<double>(options.criterion == mixed_criterion::reml ? n - p : n);
  fit.residual_variance = sigma2;
  fit.sigma = std::sqrt(sigma2);

  // The solution of M [u; beta] = [Lambda Z'y; X'y], in the permuted order:
  // back substitution from w = L^-1 P r.
  const Eigen::VectorXd& d = chol.vector_d();
  const Eigen::VectorXd solution = solve(ws);
  const auto P = static_cast<Eigen::Index>(p), Q = static_cast<Eigen::Index>(q);
  const Eigen::VectorXd beta = solution.tail(P);
  // R_X'R_X = L_X D_X L_X', the trailing block of the factor.
  Eigen::MatrixXd lx = Eigen::MatrixXd::Identity(P, P);
  for (Eigen::Index c = 0; c < P; ++c)
    for (sparse::InnerIterator it(l, Q + c); it; ++it) lx(it.index() - Q, c) = it.value();
  const Eigen::MatrixXd rx = lx * d.tail(P).asDiagonal() * lx.transpose();

  // Fixed effects: Var(beta) = sigma^2 (R_X'R_X)^-1.
  const Eigen::MatrixXd cov = sigma2 * rx.llt().solve(Eigen::MatrixXd::Identity(rx.rows(), rx.cols()));
  for (std::size_t j = 0; j < p; ++j) {
    const auto jj = static_cast<Eigen::Index>(j);
    fit.fixed.push_back({fixed_names[j], beta[jj] + (j == 0 ? y_mean : 0.0), std::sqrt(cov(jj, jj))});
  }
  fit.fixed_covariance.resize(p * p);
  for (std::size_t j = 0; j < p; ++j)
    for (std::size_t k = 0; k < p; ++k)
      fit.fixed_covariance[j * p + k] = cov(static_cast<Eigen::Index>(j), static_cast<Eigen::Index>(k));

  // Spherical modes u (the leading part of the solution), then b = Lambda u.
  const Eigen::VectorXd& u = solution;
  Eigen::VectorXd inverse_diagonal;
  if (options.conditional_sd)
    inverse_diagonal = mixed_detail::selected_inverse_diagonal(chol, Q, spaces.front()->inverse, ws.threads);

  for (std::size_t f = 0; f < m; ++f) {
    mixed_random_factor rf;
    rf.name = random_names[f];
    rf.theta = theta[f];
    rf.variance = sigma2 * theta[f] * theta[f];
    rf.sd = std::sqrt(rf.variance);
    const std::size_t levels = offset[f + 1] - offset[f];
    rf.n_obs.assign(level_count.begin() + static_cast<std::ptrdiff_t>(offset[f]),
                    level_count.begin() + static_cast<std::ptrdiff_t>(offset[f + 1]));
    rf.mode.resize(levels);
    if (options.conditional_sd) rf.conditional_sd.resize(levels);
    for (std::size_t l = 0; l < levels; ++l) {
      const int at = perm[offset[f] + l];
      rf.mode[l] = theta[f] * u[at];
      if (options.conditional_sd)
        rf.conditional_sd[l] = theta[f] * std::sqrt(sigma2 * std::max(0.0, inverse_diagonal[at]));
    }
    fit.random.push_back(std::move(rf));
  }
  return fit;
}

CALIBRA_INLINE mixed_model::mixed_model(std::vector<double> y, std::vector<mixed_factor> random,
                                        std::vector<mixed_factor> fixed, mixed_model_options options)
    : impl_(std::make_unique<impl>()) {
  using mixed_detail::refuse;
  options.validate();
  impl& s = *impl_;
  s.spaces.push_back(std::make_unique<impl::workspace>());
  impl::sparse& a = s.spaces.front()->a;
  s.options = options;
  const std::size_t n = y.size();
  s.n = n;
  if (n < 2) refuse("needs at least 2 observations, got " + std::to_string(n));
  for (std::size_t i = 0; i < n; ++i)
    if (!std::isfinite(y[i])) refuse("response " + std::to_string(i) + " is not finite");
  if (random.empty()) refuse("needs at least one grouping factor (random intercept)");

  for (std::size_t f = 0; f < random.size(); ++f) {
    if (random[f].name.empty()) random[f].name = "random" + std::to_string(f);
    mixed_detail::check_factor(random[f], n, "grouping");
  }
  for (std::size_t f = 0; f < fixed.size(); ++f) {
    if (fixed[f].name.empty()) fixed[f].name = "fixed" + std::to_string(f);
    mixed_detail::check_factor(fixed[f], n, "fixed");
  }

  // Grouping factors: global level numbering, counts, checks as lme4 makes them.
  s.m = random.size();
  s.offset.assign(1, 0);
  for (const auto& f : random) s.offset.push_back(s.offset.back() + f.levels);
  s.q = s.offset.back();
  if (s.q >= static_cast<std::size_t>(INT_MAX / 2)) refuse("too many random-effect levels");
  s.level_factor.resize(s.q);
  s.level_count.assign(s.q, 0);
  for (std::size_t f = 0; f < s.m; ++f) {
    s.random_names.push_back(random[f].name);
    std::fill(s.level_factor.begin() + static_cast<std::ptrdiff_t>(s.offset[f]),
              s.level_factor.begin() + static_cast<std::ptrdiff_t>(s.offset[f + 1]), static_cast<int>(f));
    for (const auto code : random[f].codes) ++s.level_count[s.offset[f] + code];
    std::size_t observed = 0;
    for (std::size_t l = s.offset[f]; l < s.offset[f + 1]; ++l) observed += s.level_count[l] > 0;
    if (observed < 2)
      refuse("grouping factor '" + random[f].name + "' has " + std::to_string(observed) +
             " observed level(s); a variance needs at least 2");
    if (observed >= n)
      refuse("grouping factor '" + random[f].name + "' has as many levels (" + std::to_string(observed) +
             ") as observations; its variance cannot be told apart from the residual");
  }

  // Fixed columns: intercept, then treatment contrasts (level 0 is the reference).
  s.fixed_names.push_back("(Intercept)");
  std::vector<std::size_t> fixed_offset;
  for (const auto& f : fixed) {
    fixed_offset.push_back(s.fixed_names.size());
    std::vector<std::size_t> count(f.levels, 0);
    for (const auto code : f.codes) ++count[code];
    for (std::size_t l = 0; l < f.levels; ++l) {
      if (count[l] == 0)
        refuse("fixed factor '" + f.name + "' has no observation at level " + std::to_string(l) +
               "; its effect is not estimable");
      if (l > 0) s.fixed_names.push_back(f.name + "=" + std::to_string(l));
    }
  }
  s.p = s.fixed_names.size();
  if (s.p >= n)
    refuse("has " + std::to_string(s.p) + " fixed-effect columns for " + std::to_string(n) +
           " observations; no residual degrees of freedom");

  // Cross-products, with y centred (the intercept absorbs the mean, which
  // keeps y'y from dwarfing the residual sum of squares).
  s.y_mean = std::accumulate(y.begin(), y.end(), 0.0) / static_cast<double>(n);
  const auto P = static_cast<Eigen::Index>(s.p), Q = static_cast<Eigen::Index>(s.q);
  Eigen::MatrixXd xtx = Eigen::MatrixXd::Zero(P, P);
  s.xty = Eigen::VectorXd::Zero(P);
  s.zty = Eigen::VectorXd::Zero(Q);
  std::vector<Eigen::Index> columns;
  for (std::size_t i = 0; i < n; ++i) {
    const double yi = y[i] - s.y_mean;
    s.yty += yi * yi;
    columns.assign(1, 0);
    for (std::size_t f = 0; f < fixed.size(); ++f)
      if (fixed[f].codes[i] > 0) columns.push_back(static_cast<Eigen::Index>(fixed_offset[f] + fixed[f].codes[i] - 1));
    for (const auto c : columns) {
      s.xty[c] += yi;
      for (const auto c2 : columns) xtx(c, c2) += 1;
    }
    for (std::size_t f = 0; f < s.m; ++f) s.zty[static_cast<Eigen::Index>(s.offset[f] + random[f].codes[i])] += yi;
  }
  {
    // Collinear fixed columns make R_X singular at every theta: refuse them
    // now, judged on the correlation scale so that the unit does not matter.
    const Eigen::VectorXd scale = xtx.diagonal().cwiseSqrt().cwiseInverse();
    const Eigen::MatrixXd corr = scale.asDiagonal() * xtx * scale.asDiagonal();
    Eigen::LDLT<Eigen::MatrixXd> check(corr);
    if (check.info() != Eigen::Success || check.vectorD().minCoeff() < 1e-10)
      refuse("the fixed-effect columns are collinear (a level of one fixed factor is determined by others)");
  }

  // Off-diagonal Z'Z, lower triangle: per level, its partner levels of the
  // later factors (row > column because the factors' level ranges are
  // consecutive).  Z'X: per level, the fixed columns other than the
  // intercept (whose count is the level's own).
  const auto level_of = [&](std::size_t f, std::size_t i) { return s.offset[f] + random[f].codes[i]; };
  mixed_detail::pair_counts ztz_pairs = mixed_detail::count_pairs(s.q, [&](auto&& visit) {
    for (std::size_t i = 0; i < n; ++i)
      for (std::size_t f = 0; f < s.m; ++f)
        for (std::size_t g = f + 1; g < s.m; ++g) visit(level_of(f, i), level_of(g, i));
  });
  mixed_detail::pair_counts ztx_pairs = mixed_detail::count_pairs(s.q, [&](auto&& visit) {
    for (std::size_t i = 0; i < n; ++i)
      for (std::size_t k = 0; k < fixed.size(); ++k)
        if (fixed[k].codes[i] > 0)
          for (std::size_t f = 0; f < s.m; ++f) visit(level_of(f, i), fixed_offset[k] + fixed[k].codes[i] - 1);
  });
  for (auto& f : fixed) std::vector<std::uint32_t>().swap(f.codes);  // no longer needed

  // Z'Z as a compressed lower triangle: per column the diagonal, then the
  // distinct partner levels in ascending order.
  std::vector<int> outer(s.q + 1, 0);
  std::vector<int> inner;
  std::vector<double> values;
  inner.reserve(s.q + ztz_pairs.row.size());
  values.reserve(s.q + ztz_pairs.row.size());
  for (std::size_t c = 0; c < s.q; ++c) {
    inner.push_back(static_cast<int>(c));
    values.push_back(static_cast<double>(s.level_count[c]));
    for (std::size_t k = ztz_pairs.start[c]; k < ztz_pairs.start[c + 1]; ++k) {
      inner.push_back(static_cast<int>(ztz_pairs.row[k]));
      values.push_back(static_cast<double>(ztz_pairs.count[k]));
    }
    if (inner.size() >= static_cast<std::size_t>(INT_MAX)) refuse("too many level pairs for the sparse solver");
    outer[c + 1] = static_cast<int>(inner.size());
  }
  ztz_pairs = {};

  // Fill-reducing order of the levels: approximate minimum degree on the
  // pattern of Z'Z.  It eliminates the levels with few partners (a ratee
  // seen by 5 raters) first and leaves the densely linked ones (raters
  // shared across many ratees) to the end, which is where a factor with few
  // levels belongs.  The fixed columns follow all of them.
  const Eigen::Map<const impl::sparse> ztz(Q, Q, static_cast<Eigen::Index>(inner.size()), outer.data(), inner.data(),
                                           values.data());
  Eigen::PermutationMatrix<Eigen::Dynamic, Eigen::Dynamic, int> pinv;
  Eigen::AMDOrdering<int>()(ztz.selfadjointView<Eigen::Lower>(), pinv);
  const Eigen::PermutationMatrix<Eigen::Dynamic, Eigen::Dynamic, int> level_order = pinv.inverse();
  s.perm.assign(level_order.indices().data(), level_order.indices().data() + level_order.indices().size());

  // The cost of a factorisation of A (the leading q x q block), before
  // anything else is built, so that a model over the caller's budget is
  // refused early: the elimination tree of the permuted Z'Z and its column
  // counts (Liu's row-subtree walk).  Z'Z is stored as a lower triangle, so
  // a level's partners are its own column plus its row, which is a column
  // of the transpose.
  {
    const auto levels = static_cast<int>(s.q);
    const impl::sparse upper = ztz.transpose();
    const int* row_start = upper.outerIndexPtr();
    const int* row = upper.innerIndexPtr();
    std::vector<int> level_at(s.q), parent(s.q, -1), tag(s.q, -1), count(s.q, 0);
    for (std::size_t u = 0; u < s.q; ++u) level_at[static_cast<std::size_t>(s.perm[u])] = static_cast<int>(u);
    const auto reach = [&](int i, int k) {
      for (; i < k && tag[static_cast<std::size_t>(i)] != k; i = parent[static_cast<std::size_t>(i)]) {
        if (parent[static_cast<std::size_t>(i)] == -1) parent[static_cast<std::size_t>(i)] = k;
        ++count[static_cast<std::size_t>(i)];
        tag[static_cast<std::size_t>(i)] = k;
      }
    };
    for (int k = 0; k < levels; ++k) {
      const auto u = static_cast<std::size_t>(level_at[static_cast<std::size_t>(k)]);
      tag[static_cast<std::size_t>(k)] = k;
      for (int e = outer[u]; e < outer[u + 1]; ++e) reach(s.perm[static_cast<std::size_t>(inner[static_cast<std::size_t>(e)])], k);
      for (int e = row_start[u]; e < row_start[u + 1]; ++e) reach(s.perm[static_cast<std::size_t>(row[static_cast<std::size_t>(e)])], k);
    }
    // A column with c entries below the diagonal costs about c^2
    // multiply-adds in the up-looking factorisation.
    for (const int c : count) s.work += static_cast<double>(c) * static_cast<double>(c) + c + 1;
  }
  if (s.work > options.max_factorisation_work) {
    char cost[96];
    std::snprintf(cost, sizeof cost, "%.1e multiply-adds per factorisation, above max_factorisation_work %.1e", s.work,
                  options.max_factorisation_work);
    throw budget_error("calibration", std::string("mixed model: ") + cost, s.work, options.max_factorisation_work);
  }
  const Eigen::Index size = Q + P;
  Eigen::PermutationMatrix<Eigen::Dynamic, Eigen::Dynamic, int> order(size);
  for (Eigen::Index i = 0; i < size; ++i) order.indices()[i] = i < Q ? s.perm[static_cast<std::size_t>(i)] : static_cast<int>(i);

  // [Z X]'[Z X] as a compressed lower triangle: each level's column of Z'Z
  // followed by its counts against the fixed columns (rows q..q+p-1), then
  // X'X.  Each entry's value is its index, so that after the permutation
  // every entry of M knows its count and its factors.
  std::vector<int> m_outer(static_cast<std::size_t>(size) + 1, 0);
  std::vector<int> m_inner;
  std::vector<double> m_count;
  std::vector<std::uint32_t> m_row_factor, m_column_factor;
  const auto fixed_factor = static_cast<std::uint32_t>(s.m);
  {
    // Every entry, counted first: the four arrays are filled without
    // regrowing (about 3 million entries each at 10^6 observations).
    const std::size_t entries = inner.size() + s.q + ztx_pairs.row.size() + static_cast<std::size_t>(P * (P + 1) / 2);
    m_inner.reserve(entries);
    m_count.reserve(entries);
    m_row_factor.reserve(entries);
    m_column_factor.reserve(entries);
  }
  const auto push = [&](Eigen::Index row, double count, std::uint32_t row_factor, std::uint32_t column_factor) {
    m_inner.push_back(static_cast<int>(row));
    m_count.push_back(count);
    m_row_factor.push_back(row_factor);
    m_column_factor.push_back(column_factor);
  };
  for (Eigen::Index c = 0; c < Q; ++c) {
    const auto fc = static_cast<std::uint32_t>(s.level_factor[static_cast<std::size_t>(c)]);
    for (int k = outer[static_cast<std::size_t>(c)]; k < outer[static_cast<std::size_t>(c) + 1]; ++k)
      push(inner[static_cast<std::size_t>(k)], values[static_cast<std::size_t>(k)],
           static_cast<std::uint32_t>(s.level_factor[static_cast<std::size_t>(inner[static_cast<std::size_t>(k)])]), fc);
    const auto at = static_cast<std::size_t>(c);
    if (s.level_count[at] > 0) push(Q, static_cast<double>(s.level_count[at]), fixed_factor, fc);
    for (std::size_t k = ztx_pairs.start[at]; k < ztx_pairs.start[at + 1]; ++k)
      push(Q + static_cast<Eigen::Index>(ztx_pairs.row[k]), static_cast<double>(ztx_pairs.count[k]), fixed_factor, fc);
    if (m_inner.size() >= static_cast<std::size_t>(INT_MAX)) refuse("too many level pairs for the sparse solver");
    m_outer[static_cast<std::size_t>(c) + 1] = static_cast<int>(m_inner.size());
  }
  std::vector<int>().swap(outer);
  std::vector<int>().swap(inner);
  std::vector<double>().swap(values);
  ztx_pairs = {};
  for (Eigen::Index j = 0; j < P; ++j) {
    for (Eigen::Index j2 = j; j2 < P; ++j2)
      if (j2 == j || xtx(j2, j) != 0) push(Q + j2, xtx(j2, j), fixed_factor, fixed_factor);
    m_outer[static_cast<std::size_t>(Q + j) + 1] = static_cast<int>(m_inner.size());
  }
  std::vector<double> source(m_inner.size());
  std::iota(source.begin(), source.end(), 0.0);
  const Eigen::Map<const impl::sparse> index_of(size, size, static_cast<Eigen::Index>(m_inner.size()), m_outer.data(),
                                                m_inner.data(), source.data());
  a.resize(size, size);
  a.selfadjointView<Eigen::Upper>() = index_of.selfadjointView<Eigen::Lower>().twistedBy(order);
  a.makeCompressed();
  const auto stored = static_cast<std::size_t>(a.nonZeros());
  const std::size_t mf = s.m + 1;
  s.a_count.resize(stored);
  s.a_factors.resize(stored);
  for (std::size_t k = 0; k < stored; ++k) {
    const auto from = static_cast<std::size_t>(a.valuePtr()[k]);
    s.a_count[k] = m_count[from];
    s.a_factors[k] = static_cast<std::uint32_t>(m_row_factor[from] * mf + m_column_factor[from]);
  }

  s.spaces.front()->threads = s.thread_count();
  s.spaces.front()->chol.analyze(a, s.spaces.front()->threads);
  // The selected inversion's buffer, on the factor's pattern, likewise.
  s.spaces.front()->inverse.assign(static_cast<std::size_t>(s.spaces.front()->chol.matrix_l().nonZeros()), 0.0);
}

CALIBRA_INLINE mixed_model::~mixed_model() = default;
CALIBRA_INLINE mixed_model::mixed_model(mixed_model&&) noexcept = default;
CALIBRA_INLINE mixed_model& mixed_model::operator=(mixed_model&&) noexcept = default;

CALIBRA_INLINE std::size_t mixed_model::n_obs() const { return impl_->n; }
CALIBRA_INLINE std::size_t mixed_model::n_theta() const { return impl_->m; }

CALIBRA_INLINE double mixed_model::factorisation_work() const { return impl_->work; }

CALIBRA_INLINE double mixed_model::deviance(const std::vector<double>& theta) {
  impl_->check_theta(theta);
  return impl_->evaluate(theta);
}

CALIBRA_INLINE std::vector<double> mixed_model::deviance_gradient(const std::vector<double>& theta) {
  impl_->check_theta(theta);
  impl_->evaluate(theta);
  return impl_->gradient(*impl_->spaces.front());
}

CALIBRA_INLINE mixed_model_fit mixed_model::fit_at(const std::vector<double>& theta) {
  impl_->check_theta(theta);
  impl_->evaluate(theta);
  return impl_->result(0, true);
}

CALIBRA_INLINE mixed_model_fit mixed_model::fit() { return impl_->optimise(std::vector<double>(impl_->m, 1.0), false); }

CALIBRA_INLINE mixed_model_fit mixed_model::fit(const std::vector<double>& start) {
  impl_->check_theta(start);
  // theta_k = 0 is a stationary point of the even criterion along theta_k
  // (its gradient there is exactly 0), so a start on the boundary would
  // never leave it even where the optimum is inside: start just inside.
  std::vector<double> inside(start);
  for (double& t : inside) t = std::max(t, 0.01);
  return impl_->optimise(std::move(inside), true);
}

CALIBRA_INLINE mixed_model_fit mixed_model::impl::optimise(std::vector<double> best, bool measure_curvature) {
  impl& s = *this;
  const mixed_model_options& o = s.options;
  std::size_t evaluations = 0;
  const auto f = [&](std::vector<double>& x) {
    ++evaluations;
    return s.evaluate(x);
  };
  const auto batch = [&](const std::vector<std::vector<double>>& points) {
    evaluations += points.size();
    return s.evaluate_all(points);
  };
  const auto budget_left = [&] { return evaluations < o.max_evaluations ? o.max_evaluations - evaluations : 0; };

  // The problem is min over theta >= 0.  For random intercepts the profiled
  // deviance depends on each theta_k only through theta_k^2 (flipping the
  // sign of a factor's block of Lambda is a similarity transform of
  // Lambda'Z'Z Lambda + I), so it is an even function of every component
  // and the bounded problem is the unbounded one folded at 0: the optimisers
  // below run unconstrained and |theta| is reported.  This avoids the usual
  // failure of a projected simplex, which collapses onto the bound and
  // stalls there, and a variance whose optimum is 0 becomes an ordinary
  // interior minimum at theta_k = 0.
  //
  // Quasi-Newton on the closed-form gradient (impl::gradient) from theta =
  // 1 (lme4's start) or the caller's: each step costs one factorisation and
  // one selected inversion, and it converges superlinearly, in about 10 to
  // 25 steps from theta = 1.  From a caller's start, near the optimum, it
  // first measures the curvature there and so takes Newton steps at once.
  // Should it not converge, the derivative-free stages take over from its
  // best point: a coarse Nelder-Mead, then Newton steps on finite-difference
  // derivatives, with tighter simplexes between them while Newton cannot
  // finish.
  double value = std::numeric_limits<double>::infinity();
  bool converged = false;
  // The deviance is O(n); its tolerance is relative to it.
  const auto ftol = [&] { return o.deviance_tolerance * std::max(1.0, std::abs(value)); };
  {
    const auto gradient = [&] { return s.gradient(*s.spaces.front()); };
    auto quasi = mixed_detail::quasi_newton(f, gradient, best, o.deviance_tolerance, o.theta_tolerance,
                                            budget_left(), measure_curvature);
    best = quasi.x;
    value = quasi.value;
    converged = quasi.converged;
  }
  // When the quasi-Newton stage did not converge (a criterion that is
  // not smooth enough for it, or the budget), the derivative-free stages
  // below finish from its best point.
  double simplex_tol = 1e-3;
  if (!converged) {
    auto coarse = mixed_detail::nelder_mead(f, batch, best, 0.25, 1e-2, 1e-2, budget_left());
    if (coarse.value <= value) best = coarse.x, value = coarse.value;
  }
  for (int round = 0; round < 6 && !converged && budget_left() > 0; ++round) {
    auto polished = mixed_detail::newton_polish(f, batch, best, value, ftol(), o.theta_tolerance, budget_left());
    if (polished.value <= value) best = polished.x, value = polished.value;
    if (polished.converged) {
      converged = true;
      break;
    }
    // Newton could not finish from here (not yet in the convex region
    // around the optimum): tighten the simplex around the best point, then
    // try again.  The last round leaves it to the simplex alone.
    const bool last = round == 5;
    auto simplex = mixed_detail::nelder_mead(f, batch, best, 0.05, last ? ftol() : simplex_tol,
                                             last ? o.theta_tolerance : simplex_tol, budget_left());
    if (simplex.value <= value) best = simplex.x, value = simplex.value;
    if (last) converged = simplex.met;
    simplex_tol /= 10;
  }
  for (auto& t : best) t = std::abs(t);
  // A variance whose optimum is 0 converges to |theta_k| of about 1e-9, not
  // to 0 itself; 0 is then at least as good (the deviance is even and
  // minimal there), so report the boundary exactly.
  for (std::size_t k = 0; k < s.m; ++k) {
    if (best[k] == 0 || best[k] > 1e-3 || budget_left() == 0) continue;
    std::vector<double> zeroed = best;
    zeroed[k] = 0;
    const double at_zero = f(zeroed);
    if (at_zero <= value) best = zeroed, value = at_zero;
  }
  // The last evaluation is usually at the optimum already (the sign of
  // theta matters here: the modes and SDs are read with it).
  if (s.spaces.front()->theta != best) s.evaluate(best);
  return s.result(evaluations, converged);
}

CALIBRA_INLINE mixed_design sample_levels(const std::vector<double>& y, std::vector<mixed_factor> random,
                                          std::vector<mixed_factor> fixed, std::size_t by_factor, std::size_t share) {
  if (by_factor >= random.size()) mixed_detail::refuse("sample_levels: no grouping factor " + std::to_string(by_factor));
  if (share < 1) mixed_detail::refuse("sample_levels: share must be at least 1");
  for (mixed_factor& f : random) mixed_detail::check_factor(f, y.size(), "grouping");
  for (mixed_factor& f : fixed) mixed_detail::check_factor(f, y.size(), "fixed");
  // A level is kept by a multiplicative hash of its code, so that the kept
  // levels do not follow the order in which the caller numbered them.
  std::vector<std::size_t> rows;
  for (std::size_t i = 0; i < y.size(); ++i)
    if (((random[by_factor].codes[i] * 2654435761u) >> 16) % share == 0) rows.push_back(i);
  // The kept rows' levels, renumbered without gaps (an unobserved fixed
  // level would be refused; an unobserved random one would waste a column).
  const auto restrict = [&](const std::vector<mixed_factor>& factors) {
    std::vector<mixed_factor> out;
    for (const mixed_factor& f : factors) {
      std::vector<std::uint32_t> code_of(f.levels, UINT32_MAX);
      mixed_factor kept{f.name, {}, 0};
      kept.codes.reserve(rows.size());
      for (const std::size_t i : rows) {
        std::uint32_t& code = code_of[f.codes[i]];
        if (code == UINT32_MAX) code = static_cast<std::uint32_t>(kept.levels++);
        kept.codes.push_back(code);
      }
      out.push_back(std::move(kept));
    }
    return out;
  };
  mixed_design sample;
  sample.y.reserve(rows.size());
  for (const std::size_t i : rows) sample.y.push_back(y[i]);
  sample.random = restrict(random);
  sample.fixed = restrict(fixed);
  return sample;
}

CALIBRA_INLINE std::vector<double> pilot_theta(mixed_design design, std::size_t by_factor, std::size_t nested_from) {
  mixed_model_options options;
  options.conditional_sd = false;
  try {
    // A large sample gets a start of its own from a sample of it: from
    // theta = 1 the quasi-Newton search takes two dozen steps, from a
    // nearby start with the measured curvature about half as many, and the
    // smaller sample costs a fraction of one of them.
    std::vector<double> start;
    if (design.y.size() >= nested_from && by_factor < design.random.size())
      start = pilot_theta(sample_levels(design.y, design.random, design.fixed, by_factor), by_factor, nested_from);
    mixed_model model(std::move(design.y), std::move(design.random), std::move(design.fixed), options);
    const mixed_model_fit pilot = start.empty() ? model.fit() : model.fit(start);
    if (!pilot.converged) return {};
    std::vector<double> theta;
    for (const mixed_random_factor& f : pilot.random) theta.push_back(f.theta);
    return theta;
  } catch (const error&) {
    return {};
  }
}

CALIBRA_INLINE mixed_model_fit fit_mixed_model(std::vector<double> y, std::vector<mixed_factor> random,
                                               std::vector<mixed_factor> fixed, mixed_model_options options) {
  mixed_model model(std::move(y), std::move(random), std::move(fixed), std::move(options));
  return model.fit();
}

}  // namespace calibra::calibration
