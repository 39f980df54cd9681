import { FakeBotApi } from "./bot/local/fake-bot-api.ts";
const fake = new FakeBotApi({ token: "123456:DEPLOY-try_abc" });
await fake.start();
console.log(fake.apiRoot);
setInterval(() => {
  const sent = fake.calls.filter((c) => c.method === "sendMessage" && c.status === 200).length;
  console.log(JSON.stringify({ sent, setWebhook: fake.calls.filter((c) => c.method === "setWebhook").length }));
}, 5000);
