// Internal: the Boost.Math error policy of calibra's implementations.  Only
// implementation files (*-inl.hpp) include it, so Boost.Math never reaches a
// user's translation unit through a public header.
#pragma once

#include <boost/math/policies/policy.hpp>

namespace calibra::agreement::detail {

/// Boost.Math reports domain and overflow problems by returning NaN or
/// infinity under this policy instead of throwing std:: exceptions.
using quiet_math_policy = boost::math::policies::policy<
    boost::math::policies::domain_error<boost::math::policies::ignore_error>,
    boost::math::policies::overflow_error<boost::math::policies::ignore_error>,
    boost::math::policies::underflow_error<boost::math::policies::ignore_error>,
    boost::math::policies::evaluation_error<boost::math::policies::ignore_error>,
    boost::math::policies::pole_error<boost::math::policies::ignore_error>>;

}  // namespace calibra::agreement::detail
