/** The deploy loop on moto for the default estate: blue/green target groups, capacity, jobs, flags and Route53. */
import { describeLoop } from './loop';

describeLoop('default.yaml', { gaps: ['weighted forwards', 'the cutover'], cutover: false });
