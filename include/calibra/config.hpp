// Build-mode switches shared by every public header.
//
// calibra ships the way fmt does: public headers declare, and the matching
// `*-inl.hpp` headers hold the implementations.  By default those are
// compiled once into the library (calibra::calibra), so a file that includes
// a calibra header pays only for declarations.  Defining CALIBRA_HEADER_ONLY
// (or linking calibra::header-only, which defines it) makes every public
// header include its implementation instead, marked `inline`, so that no
// library needs to be built or linked.
#pragma once

#if defined(CALIBRA_HEADER_ONLY)
#  define CALIBRA_INLINE inline
#else
#  define CALIBRA_INLINE
#endif
