// model/cli/main.cpp: the mmsim executable.
#include <iostream>

#include "model/cli/cli.h"
#include "model/conform/runtime.h"

int main(int argc, char** argv) {
  cf_actor_reenter();  // an actor of `mmsim conform` that ran `exec` continues there
  return mmsim::model::mmsim_main(argc, argv, std::cout, std::cerr);
}
