/** The header: the cluster, the user and the profile, then a rule with the wizard's name. */
import { Box, Text } from 'ink';

/** What the header shows; all plain strings (the cluster is the API server URL or context name). */
export interface HeaderInfo {
  cluster: string;
  user: string;
  profile: string;
}

/** Renders the header, truncated to one line of `width` columns. */
export function Header({ info, width }: { info: HeaderInfo; width: number }) {
  return (
    <Box width={width} flexDirection="column" flexShrink={0}>
      <Text wrap="truncate-middle">
        <Text dimColor>cluster </Text>
        <Text>{info.cluster}</Text>
        <Text dimColor>  user </Text>
        <Text>{info.user}</Text>
        <Text dimColor>  profile </Text>
        <Text>{info.profile}</Text>
      </Text>
      <Text>
        <Text dimColor>── </Text>
        <Text bold color="cyan">
          maas-wizard
        </Text>
        <Text dimColor> {'─'.repeat(Math.max(0, width - 15))}</Text>
      </Text>
    </Box>
  );
}
