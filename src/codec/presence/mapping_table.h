#pragma once
// The seed's availability tables 1-10, one row per cell, transcribed from
// design/availability-tables.csv (tests/unit/presence/ checks every row against a copy of it).
// Where the seed writes a source state as a state plus a status text, the row holds the canonical
// state that pair stands for (see canonicalFromPeer()).
#include <cstddef>
#include <iterator>

#include "codec/presence/profile.h"

namespace impd::presence::data {

using S = System;
using A = Availability;

// clang-format off
inline constexpr MappingRow kMappingRows[] = {
    // Table 1: from Microsoft Office Communicator (OCS).
    {1, S::ocs, A::available, S::xmppClient, A::available, "", false},
    {1, S::ocs, A::busy, S::xmppClient, A::away, "Busy", false},
    {1, S::ocs, A::doNotDisturb, S::xmppClient, A::away, "Busy", false},
    {1, S::ocs, A::beRightBack, S::xmppClient, A::away, "", false},
    {1, S::ocs, A::away, S::xmppClient, A::away, "", false},
    {1, S::ocs, A::offline, S::xmppClient, A::offline, "", false},
    {1, S::ocs, A::available, S::richClient, A::available, "", false},
    {1, S::ocs, A::busy, S::richClient, A::busy, "", false},
    {1, S::ocs, A::doNotDisturb, S::richClient, A::busy, "", false},
    {1, S::ocs, A::beRightBack, S::richClient, A::away, "", false},
    {1, S::ocs, A::away, S::richClient, A::away, "", false},
    {1, S::ocs, A::offline, S::richClient, A::offline, "", false},
    // Table 2: from a rich client to OCS.
    {2, S::richClient, A::available, S::ocs, A::available, "", false},
    {2, S::richClient, A::busy, S::ocs, A::busy, "", false},
    {2, S::richClient, A::doNotDisturb, S::ocs, A::busy, "", false},
    {2, S::richClient, A::offline, S::ocs, A::offline, "", false},
    // Table 3: from a standard XMPP client to OCS.
    {3, S::xmppClient, A::available, S::ocs, A::available, "", false},
    {3, S::xmppClient, A::away, S::ocs, A::away, "", false},
    {3, S::xmppClient, A::extendedAway, S::ocs, A::away, "", false},
    {3, S::xmppClient, A::doNotDisturb, S::ocs, A::busy, "", false},
    {3, S::xmppClient, A::offline, S::ocs, A::offline, "", false},
    // Table 4: from Microsoft Lync.
    {4, S::lync, A::available, S::xmppClient, A::available, "", false},
    {4, S::lync, A::busy, S::xmppClient, A::away, "Busy", false},
    {4, S::lync, A::doNotDisturb, S::xmppClient, A::away, "Busy", false},
    {4, S::lync, A::beRightBack, S::xmppClient, A::away, "", false},
    {4, S::lync, A::away, S::xmppClient, A::away, "", false},
    {4, S::lync, A::offline, S::xmppClient, A::offline, "", false},
    {4, S::lync, A::available, S::richClient, A::available, "", false},
    {4, S::lync, A::busy, S::richClient, A::busy, "", false},
    {4, S::lync, A::doNotDisturb, S::richClient, A::busy, "", false},
    {4, S::lync, A::beRightBack, S::richClient, A::away, "", false},
    {4, S::lync, A::away, S::richClient, A::away, "", false},
    {4, S::lync, A::offline, S::richClient, A::offline, "", false},
    // Table 5: from a rich client to Lync.
    {5, S::richClient, A::available, S::lync, A::available, "", false},
    {5, S::richClient, A::busy, S::lync, A::busy, "", false},
    {5, S::richClient, A::doNotDisturb, S::lync, A::busy, "", false},
    {5, S::richClient, A::offline, S::lync, A::offline, "", false},
    // Table 6: from a standard XMPP client to Lync.
    {6, S::xmppClient, A::available, S::lync, A::available, "", false},
    {6, S::xmppClient, A::away, S::lync, A::away, "", false},
    {6, S::xmppClient, A::extendedAway, S::lync, A::away, "", false},
    {6, S::xmppClient, A::doNotDisturb, S::lync, A::busy, "", false},
    {6, S::xmppClient, A::offline, S::lync, A::offline, "", false},
    // Table 7: from IBM Sametime. Sametime shows a meeting as available + "In a meeting"; the
    // rich client sees each state with the Sametime user's own status message.
    {7, S::sametime, A::available, S::xmppClient, A::available, "", false},
    {7, S::sametime, A::doNotDisturb, S::xmppClient, A::doNotDisturb, "", false},
    {7, S::sametime, A::inAMeeting, S::xmppClient, A::available, "In a meeting", false},
    {7, S::sametime, A::away, S::xmppClient, A::away, "", false},
    {7, S::sametime, A::offline, S::xmppClient, A::offline, "", false},
    {7, S::sametime, A::available, S::richClient, A::available, "", true},
    {7, S::sametime, A::doNotDisturb, S::richClient, A::doNotDisturb, "", true},
    {7, S::sametime, A::inAMeeting, S::richClient, A::available, "", true},
    {7, S::sametime, A::away, S::richClient, A::away, "", true},
    {7, S::sametime, A::offline, S::richClient, A::offline, "", false},
    // Table 8: from Webex Connect, which shows a meeting as away + "In a meeting".
    {8, S::webex, A::available, S::xmppClient, A::available, "", false},
    {8, S::webex, A::doNotDisturb, S::xmppClient, A::doNotDisturb, "", false},
    {8, S::webex, A::inAMeeting, S::xmppClient, A::available, "In a meeting", false},
    {8, S::webex, A::away, S::xmppClient, A::away, "", false},
    {8, S::webex, A::offline, S::xmppClient, A::offline, "", false},
    {8, S::webex, A::available, S::richClient, A::available, "", false},
    {8, S::webex, A::doNotDisturb, S::richClient, A::doNotDisturb, "", false},
    {8, S::webex, A::inAMeeting, S::richClient, A::away, "In a meeting", false},
    {8, S::webex, A::away, S::richClient, A::away, "", false},
    {8, S::webex, A::offline, S::richClient, A::offline, "", false},
    // Table 9: from a rich client to federated clients, Webex and Sametime.
    {9, S::richClient, A::available, S::federatedRichClient, A::available, "", false},
    {9, S::richClient, A::doNotDisturb, S::federatedRichClient, A::doNotDisturb, "", false},
    {9, S::richClient, A::busy, S::federatedRichClient, A::busy, "", false},
    {9, S::richClient, A::idle, S::federatedRichClient, A::idle, "", false},
    {9, S::richClient, A::offline, S::federatedRichClient, A::offline, "", false},
    {9, S::richClient, A::available, S::federatedXmppClient, A::available, "", false},
    {9, S::richClient, A::doNotDisturb, S::federatedXmppClient, A::doNotDisturb, "", false},
    {9, S::richClient, A::busy, S::federatedXmppClient, A::away, "", false},
    {9, S::richClient, A::idle, S::federatedXmppClient, A::idle, "", false},
    {9, S::richClient, A::offline, S::federatedXmppClient, A::offline, "", false},
    {9, S::richClient, A::available, S::webex, A::available, "", false},
    {9, S::richClient, A::doNotDisturb, S::webex, A::doNotDisturb, "", false},
    {9, S::richClient, A::busy, S::webex, A::idle, "", false},
    {9, S::richClient, A::idle, S::webex, A::idle, "", false},
    {9, S::richClient, A::offline, S::webex, A::offline, "", false},
    {9, S::richClient, A::available, S::sametime, A::available, "", false},
    {9, S::richClient, A::doNotDisturb, S::sametime, A::doNotDisturb, "", false},
    {9, S::richClient, A::busy, S::sametime, A::away, "", false},
    {9, S::richClient, A::idle, S::sametime, A::idle, "", false},
    {9, S::richClient, A::offline, S::sametime, A::offline, "", false},
    // Table 10: from a standard XMPP client to federated clients, Webex and Sametime. The standard
    // client's away + "Idle" is idle.
    {10, S::xmppClient, A::available, S::federatedRichClient, A::available, "", false},
    {10, S::xmppClient, A::doNotDisturb, S::federatedRichClient, A::doNotDisturb, "", false},
    {10, S::xmppClient, A::away, S::federatedRichClient, A::away, "", false},
    {10, S::xmppClient, A::extendedAway, S::federatedRichClient, A::away, "", false},
    {10, S::xmppClient, A::idle, S::federatedRichClient, A::idle, "", false},
    {10, S::xmppClient, A::offline, S::federatedRichClient, A::offline, "", false},
    {10, S::xmppClient, A::available, S::federatedXmppClient, A::available, "", false},
    {10, S::xmppClient, A::doNotDisturb, S::federatedXmppClient, A::doNotDisturb, "", false},
    {10, S::xmppClient, A::away, S::federatedXmppClient, A::away, "", false},
    {10, S::xmppClient, A::extendedAway, S::federatedXmppClient, A::extendedAway, "", false},
    {10, S::xmppClient, A::idle, S::federatedXmppClient, A::away, "Idle", false},
    {10, S::xmppClient, A::offline, S::federatedXmppClient, A::offline, "", false},
    {10, S::xmppClient, A::available, S::webex, A::available, "", false},
    {10, S::xmppClient, A::doNotDisturb, S::webex, A::doNotDisturb, "", false},
    {10, S::xmppClient, A::away, S::webex, A::away, "", false},
    {10, S::xmppClient, A::extendedAway, S::webex, A::extendedAway, "", false},
    {10, S::xmppClient, A::idle, S::webex, A::away, "Idle", false},
    {10, S::xmppClient, A::offline, S::webex, A::offline, "", false},
    {10, S::xmppClient, A::available, S::sametime, A::available, "", false},
    {10, S::xmppClient, A::doNotDisturb, S::sametime, A::doNotDisturb, "", false},
    {10, S::xmppClient, A::away, S::sametime, A::away, "", false},
    {10, S::xmppClient, A::extendedAway, S::sametime, A::away, "", false},
    {10, S::xmppClient, A::idle, S::sametime, A::away, "Idle", false},
    {10, S::xmppClient, A::offline, S::sametime, A::offline, "", false},
};
// clang-format on

inline constexpr std::size_t kMappingRowCount = std::size(kMappingRows);

}  // namespace impd::presence::data
