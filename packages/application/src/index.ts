// @netlayers/application: Application layer: HTTP/1.1, DNS, DHCP, echo, SMTP and FTP over the socket contracts.
