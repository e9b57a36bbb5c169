// The same rows (n = 1000) in batches of 16 to 16384 rows, float32, 1 thread: softmax, log-softmax,
// LSE, the copy and a plain read of the batch (a sum), interleaved per iteration; medians, ns per element.
// Run: sizes [threads].
// Build (from the repository root, after mvn package):
//   cmake -S native -B /tmp/rel -DOPENBLAS_ROOT=$OB -DCMAKE_BUILD_TYPE=Release && cmake --build /tmp/rel --target softmax4j_core
//   g++ -O2 -std=c++17 -mavx512f -I native/include -I native/src docs/results/2026-12-02-paired/sizes.cpp -fopenmp /tmp/rel/libsoftmax4j_core.a -L$OB -l:libopenblas.so.0 \
//       -Wl,-rpath,$OB -o sizes
// with OB=java/core/target/openblas/org/bytedeco/openblas/linux-x86_64.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <random>
#include <vector>
#include <immintrin.h>
#include "softmax4j.h"
using clk = std::chrono::steady_clock;
static float sink;
__attribute__((noinline)) float readsum(const float* x, long n){ __m512 a=_mm512_setzero_ps(),b=a,c=a,d=a; for(long i=0;i<n;i+=64){a=_mm512_add_ps(a,_mm512_loadu_ps(x+i));b=_mm512_add_ps(b,_mm512_loadu_ps(x+i+16));c=_mm512_add_ps(c,_mm512_loadu_ps(x+i+32));d=_mm512_add_ps(d,_mm512_loadu_ps(x+i+48));} return _mm512_reduce_add_ps(_mm512_add_ps(_mm512_add_ps(a,b),_mm512_add_ps(c,d)));}
int main(int argc,char**argv){
  int th=argc>1?atoi(argv[1]):1; sm4j_set_num_threads(th);
  long n=1000; long maxrows=16384;
  std::vector<float> X(maxrows*n+64), Y(maxrows*n+64);
  std::mt19937 r(1); std::normal_distribution<float> g;
  for(auto&v:X)v=g(r);
  float*x=X.data()+4,*y=Y.data()+4;
  for(long rows: {16L,64L,256L,1024L,4096L,16384L}){
    auto call=[&](int op,long ldy){ sm4j_call c{}; c.op=op;c.rows=rows;c.n=n;c.a=1.0;c.in[0]={x,n,SM4J_F32};c.out[0]={y,ldy,SM4J_F32};sm4j_run(&c);};
    const char* names[]={"softmax","logsm","lse","copy","readsum"};
    std::vector<double> t[5];
    int iters= std::max(20L, 40000/rows);
    for(int it=0;it<iters;it++) for(int k=0;k<5;k++){
      auto t0=clk::now();
      switch(k){case 0:call(SM4J_SOFTMAX,n);break;case 1:call(SM4J_LOG_SOFTMAX,n);break;case 2:call(SM4J_LOGSUMEXP,1);break;case 3:call(SM4J_COPY,n);break;case 4: sink+=readsum(x,rows*n);break;}
      t[k].push_back(std::chrono::duration<double,std::nano>(clk::now()-t0).count());
    }
    printf("rows %6ld (%6ld KB):",rows,rows*n*4/1024);
    for(int k=0;k<5;k++){auto v=t[k]; std::sort(v.begin(),v.end()); printf(" %s %.3f",names[k],v[v.size()/2]/(rows*n));}
    printf("\n");
  }
}
