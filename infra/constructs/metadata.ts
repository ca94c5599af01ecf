/**
 * Template metadata keys the local runtime reads from the synthesized template. Apart from the
 * constructs so that reading a cached definition never loads the CDK.
 */

/** Metadata naming each state machine in the template, so the local runtime finds both. */
export const STATE_MACHINE_METADATA = 'gitwave:stateMachine';
