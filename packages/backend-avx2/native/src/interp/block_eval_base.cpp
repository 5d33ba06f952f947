// The block loops for any x86-64 (SSE2) or other CPU.
#define BR_RUN_BLOCK run_block_base
#include "block_eval_impl.inl"
