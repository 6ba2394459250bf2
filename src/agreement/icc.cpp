// Compiles the implementation of <calibra/agreement/icc.hpp> once into the library.
#include <calibra/agreement/icc-inl.hpp>
