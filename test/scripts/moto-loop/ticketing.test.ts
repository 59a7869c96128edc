/** The deploy loop on moto for the ticketing estate (runbook 000): EC2, ALB, jobs, database firewall, flags. */
import { describeLoop } from './loop';

describeLoop('ticketing.yaml', { gaps: [], cutover: false });
