// The words an agent's row shows for a state, from the presentation itself (the short word when the full label is
// kept for the tooltip), so tests and benches wait for what the user reads, whatever the wording becomes.
import { SHORT_LABEL } from '../../src/vscode/agentOrder';
import { LOOKS } from '../../src/vscode/agentStatusLook';
import type { AgentLook } from '../../src/vscode/agentStatusLook';

export const rowWord = (look: AgentLook): string => SHORT_LABEL[look] ?? LOOKS[look].label;
