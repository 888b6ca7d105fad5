// Names of transaction states, for logs and test failure messages.
#include "codec/sip/transaction.h"

namespace impd::sip {

std::string_view toString(TransactionState state) {
  switch (state) {
    case TransactionState::Calling:
      return "Calling";
    case TransactionState::Trying:
      return "Trying";
    case TransactionState::Proceeding:
      return "Proceeding";
    case TransactionState::Accepted:
      return "Accepted";
    case TransactionState::Completed:
      return "Completed";
    case TransactionState::Confirmed:
      return "Confirmed";
    case TransactionState::Terminated:
      return "Terminated";
  }
  return "?";
}

}  // namespace impd::sip
