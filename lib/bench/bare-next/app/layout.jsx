export const metadata = { title: "Bare Next page" };

export default function RootLayout({ children }) {
  return (
    <html lang="en">
      <body style={{ fontFamily: "system-ui, sans-serif", margin: 0, background: "#f8fafc" }}>{children}</body>
    </html>
  );
}
