// The block loops compiled with AVX2 (four doubles an instruction); reached only where the CPU and OS allow it.
#define BR_RUN_BLOCK run_block_avx2
#include "block_eval_impl.inl"
