// sim/policies/init_on_free.cpp: see init_on_free.h.
#include "sim/policies/init_on_free.h"

#include "sim/kernel.h"

namespace mmsim::policies {

// free_pages_prepare: `init = want_init_on_free()` -> kernel_init_pages().
void InitOnFree::on_free(World& w, FrameId f) const {
  zero_page(w, f);
}

}  // namespace mmsim::policies
