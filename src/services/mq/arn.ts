// Amazon MQ's broker ARN, as the Service Authorization Reference writes it:
// arn:aws:mq:REGION:ACCOUNT:broker:NAME:ID (a `*` name while an id names no broker).

export const brokerArn = (region: string, account: string, name: string, id: string): string =>
  `arn:aws:mq:${region}:${account}:broker:${name}:${id}`;
