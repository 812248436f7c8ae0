"""Business-meeting days: profiles, meeting requests, availability, placement, agendas.

Writes in :mod:`~meute.events.business.services` (one transaction each,
keyword-only arguments), reads in :mod:`~meute.events.business.selectors`. The
package is the bridge between the rows and the slot engine
(`meute.engine.slots`): it loads the accepted requests and the participants'
availability, builds a `SlotsInstance` (:func:`selectors.slots_instance`),
solves it, checks the plan and saves every placement in one transaction.

Requests expire `event.request_ttl_hours` after they are sent (and at the
latest when the event starts), so that an unanswered request does not hold a
slot. Reads never write: they treat a pending request past its deadline as
expired (`MeetingRequest.status_at`, `current_status`). The expiry is written
by `meute expire_requests` (daily) and by the writes that depend on it
(asking, answering, placing).

Table numbers are stored from 1 (what people read on the table), slot
numbers from 0 (an index into the day, as in the engine).
"""
