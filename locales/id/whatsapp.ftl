# WhatsApp channel: words the renderer adds around the dialogs' own text.

# Label of the button that opens a list message (at most 20 characters).
whatsapp-list-button = Pilih
# Title of the single section inside a list message (at most 24 characters).
whatsapp-list-section = Pilihan
# Line before a numbered menu, used when there are more than 10 choices.
whatsapp-menu-intro = Balas dengan nomor pilihan Bapak/Ibu:
# Short question above the buttons when the message itself was too long to fit with them.
whatsapp-choose-prompt = Silakan pilih salah satu:
