// Compiles the implementation of <calibra/agreement/long_to_wide.hpp> once into the library.
#include <calibra/agreement/long_to_wide-inl.hpp>
