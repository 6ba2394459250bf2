// Compiles the implementation of <calibra/reports/write.hpp> once into the library.
#include <calibra/reports/write-inl.hpp>
