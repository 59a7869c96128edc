/** The deploy loop on moto for the host-cutover estate (runbook 001): the colour flags through every cutover stage and back. */
import { describeLoop } from './loop';

describeLoop('host-cutover.yaml', { gaps: [], cutover: true });
