// Work that can run beside the caller's.
#pragma once

#include <future>
#include <thread>
#include <type_traits>
#include <utility>

namespace calibra::detail {

/// Starts f() on a thread of its own when the machine has a second core,
/// otherwise defers it to the first get().  Either way get() returns f's
/// result or rethrows its exception; a future dropped unread waits for a
/// running f to finish (and a deferred one never runs), so f may capture
/// the caller's locals by reference.  For
/// independent pieces of one analysis: f must read only what nothing else
/// writes meanwhile.
template <class F>
auto beside(F f) -> std::future<std::invoke_result_t<F>> {
  const auto policy = std::thread::hardware_concurrency() > 1 ? std::launch::async : std::launch::deferred;
  return std::async(policy, std::move(f));
}

}  // namespace calibra::detail
