// Compiles the implementation of <calibra/agreement/krippendorff.hpp> once into the library.
#include <calibra/agreement/krippendorff-inl.hpp>
