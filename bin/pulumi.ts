/**
 * The Pulumi program (Pulumi.yaml `main`): the Cloudflare side of the estate in its committed mode.
 *
 *   pulumi preview                                   # the estate's committed mode (state: in the estate file)
 *   pulumi config set drawbridge:mode maintenance    # emergency override for this stack, announced on every run
 *   pulumi config set --secret drawbridge:bypassSecret "$(openssl rand -hex 32)"
 *
 * Keys: drawbridge:estate, drawbridge:mode, drawbridge:live, drawbridge:target, drawbridge:hardDown,
 * drawbridge:bypassSecret. Anything else under drawbridge: is refused before a resource is declared.
 */
import * as path from 'node:path';
import { runCloudflareStack } from '../stacks/cloudflare/program';

export = () => runCloudflareStack({ projectRoot: path.resolve(__dirname, '..') });
