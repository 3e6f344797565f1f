// @netlayers/trace: Seeing the stack: trace recorder, tcpdump lines, ladder diagrams (text, Mermaid, SVG), encapsulation views, pcap and pcapng.
