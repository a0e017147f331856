// sim/overloaded.h: the `Overloaded{lambdas...}` visitor for std::visit over Op and friends.
// Owns nothing; one definition for every visitor in the project.
#pragma once

namespace mmsim {

template <class... Ts>
struct Overloaded : Ts... {
  using Ts::operator()...;
};
template <class... Ts>
Overloaded(Ts...) -> Overloaded<Ts...>;  // clang 14 needs the deduction guide

}  // namespace mmsim
