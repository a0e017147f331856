// model/main.cpp: the mmsim executable.
#include <iostream>

#include "model/cli.h"

int main(int argc, char** argv) { return mmsim::model::mmsim_main(argc, argv, std::cout, std::cerr); }
