/**
 * The `bookAppointment` flow node's activities (workflows/flow/handlers/bookAppointment.ts). Slots
 * come back already labelled in the contact's language and timezone, so the workflow never formats
 * dates (no Intl or time-zone data in workflow code, and a replay sees the same labels).
 */

/** A free time as offered to the contact. */
export interface LabelledSlot {
  startsAt: string;
  staffId: string | null;
  /** How the contact reads it (core/scheduling formatSlot); also the choice they tap or type. */
  label: string;
}

export interface BookingRef {
  tenantId: string;
  /** The conversation booking (its contact's name, phone, timezone and language); none in a flow test run. */
  conversationId?: string;
}

/** The booking as the flow keeps it in its variable. */
export interface FlowBooking {
  id: string;
  startsAt: string;
  endsAt: string;
  serviceId: string;
  serviceName: string;
  /** The start as the contact read it. */
  slot: string;
}

export interface BookingFlowActivities {
  /** The tenant's active services, by name. */
  listBookableServices(input: { tenantId: string }): Promise<{ services: { id: string; name: string }[] }>;
  /**
   * The next free slots of a service within `horizonDays`; with `text`, the slots in the time it
   * names ("next Friday evening", read in the contact's timezone), or the first ones after it when
   * that time is full. `understood` is false when the text names no time.
   */
  findBookingSlots(input: BookingRef & { serviceId: string; limit: number; horizonDays: number; text?: string }): Promise<{ serviceName: string; understood: boolean; slots: LabelledSlot[] }>;
  /**
   * Books the slot through the scheduling service (source `flow`, idempotent on the key). A slot
   * taken meanwhile fails non-retryably with SLOT_TAKEN_FAILURE, `details[0].nextSlots` labelled.
   */
  bookFromFlow(input: BookingRef & { serviceId: string; startsAt: string; staffId: string | null; idempotencyKey: string }): Promise<FlowBooking>;
  /**
   * Runs one of the AI reply's booking tools (core/appointment-tools.ts) for the conversation's
   * contact. The model always gets text back (refusals included); `bookedId` names a new booking,
   * whose appointment run the workflow then starts.
   */
  appointmentTool(input: BookingRef & { name: string; arguments: string; idempotencyKey: string }): Promise<{ content: string; bookedId?: string }>;
}
