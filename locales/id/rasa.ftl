# What the Rasa action server (tlive-bot rasa-actions) tells a city's Rasa assistant to say.

rasa-status-need-reference = Boleh tahu nomor pendaftarannya? Contohnya TL-7KQ4M9 (ada di pesan saat pendaftaran dikirim).
rasa-status-need-proof = Untuk menjaga data Bapak/Ibu, sebutkan juga 4 angka terakhir NIK yang didaftarkan dengan nomor { $reference }.
rasa-status-not-found = Maaf, nomor pendaftaran dan 4 angka terakhir NIK itu tidak cocok dengan pendaftaran mana pun. Silakan periksa lagi.
rasa-status-too-many = Terlalu banyak percobaan untuk nomor ini. Silakan coba lagi nanti, atau hubungi helpdesk.
rasa-faq-unsure = Maaf, saya belum yakin jawabannya. Bapak/Ibu bisa bertanya dengan kata lain, atau minta dihubungkan dengan petugas helpdesk.
rasa-register-intro = Pendaftaran akun Tangerang LIVE bisa dilakukan lewat:
rasa-register-web = • Web chat: { $url }
rasa-register-telegram = • Telegram: { $url }
rasa-register-whatsapp = • WhatsApp: { $url } (kirim pesan "daftar")
rasa-register-steps = Siapkan KTP asli (atau resi KTP-el) dan ponsel untuk swafoto sambil memegang KTP. Pendaftaran sekitar 5 menit, lalu petugas memeriksa paling lambat { $hours } jam.
rasa-register-none = Pendaftaran dilakukan dengan asisten Tangerang LIVE. Silakan hubungi helpdesk untuk alamatnya.
rasa-handoff-already = Bapak/Ibu sudah terhubung dengan petugas helpdesk. Mohon tunggu balasannya.
rasa-handoff-contact = Petugas juga bisa dihubungi langsung:
rasa-handoff-unavailable = Maaf, saat ini permintaan ke petugas belum bisa dicatat. Silakan hubungi helpdesk langsung:
rasa-unavailable = Maaf, layanan Tangerang LIVE sedang gangguan sehingga belum bisa menjawab. Silakan coba lagi beberapa saat lagi, atau hubungi helpdesk:
